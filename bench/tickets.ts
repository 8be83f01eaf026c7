/**
 * Signing admission tickets: 1,000,000 QR payloads signed with the runtime's native Ed25519
 * (node:crypto through `ed25519.nativeSigner`, with server/native-crypto.ts installed as the server does) against noble's pure-JS Ed25519, the baseline,
 * measured in the same run on a sample and extrapolated (a million noble signatures take minutes).
 * Both produce identical texts (Ed25519 is deterministic); the first payloads are compared.
 * Run alone: `npx bun bench/tickets.ts`. Budget: under 60 s for the million.
 */
import { ed25519, signTicket, type TicketPayload } from '../crypto/index.ts'
import { installNativeCrypto } from '../server/native-crypto.ts'

const TICKETS = 1_000_000
const NOBLE_SAMPLE = 20_000

/** Synthetic payloads shaped like real ones (UUID ids, a 17-character number), varied by index. */
function payload(i: number, identity: Uint8Array): TicketPayload {
  const hex = i.toString(16).padStart(12, '0')
  return {
    type: 'ticket',
    number: `2026-3F9A1C-${String(i).padStart(6, '0')}`,
    candidateId: `0b7e3f52-8a1d-4c2e-9f00-${hex}`,
    examSessionId: '5d1c0a9e-2b3f-4a11-8c77-0123456789ab',
    roomId: `b1c2d3e4-0000-4000-8000-${(i % 35_000).toString(16).padStart(12, '0')}`,
    seat: (i % 30) + 1,
    identity,
  }
}

export async function benchTickets(): Promise<{ name: string; seconds: number; note: string }> {
  const priv = new Uint8Array(32).fill(9)
  const identity = new Uint8Array(16).fill(7)
  installNativeCrypto()
  const native = ed25519.nativeSigner(priv)
  const noble = (m: Uint8Array) => ed25519.sign(priv, m)

  // Same text from both paths (checked on a few, outside the timing).
  for (let i = 0; i < 10; i++) {
    if (signTicket(payload(i, identity), native) !== signTicket(payload(i, identity), noble)) throw new Error('native and noble signatures differ')
  }

  const t0 = performance.now()
  let bytes = 0
  for (let i = 0; i < NOBLE_SAMPLE; i++) bytes += signTicket(payload(i, identity), noble).length
  const nobleSample = (performance.now() - t0) / 1000
  const nobleMillion = (nobleSample / NOBLE_SAMPLE) * TICKETS

  const t1 = performance.now()
  for (let i = 0; i < TICKETS; i++) bytes += signTicket(payload(i, identity), native).length
  const seconds = (performance.now() - t1) / 1000
  if (bytes === 0) throw new Error('nothing signed')

  return {
    name: 'tickets',
    seconds,
    note:
      `${TICKETS.toLocaleString('en')} tickets signed natively in ${seconds.toFixed(1)} s ` +
      `(${Math.round(TICKETS / seconds).toLocaleString('en')}/s); noble pure JS ${nobleMillion.toFixed(0)} s extrapolated from ` +
      `${NOBLE_SAMPLE.toLocaleString('en')} (${(nobleMillion / seconds).toFixed(1)}x slower); budget 60 s`,
  }
}

if (import.meta.main) {
  const r = await benchTickets()
  console.log(`${r.name}: ${r.note}`)
}
