// Outside witnesses' cosignatures (c2sp.org/tlog-cosignature, cosignature/v1) checked in the browser: a
// signature line of type 0x04 whose bytes are key ID || u64 big-endian time || Ed25519 signature over
// "cosignature/v1\ntime <seconds>\n" followed by the checkpoint text (docs/decisions/009-log-witness.md).
import { ed25519 } from '@noble/curves/ed25519.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { concatBytes, equalBytes, fromBase64, utf8 } from './_bytes.ts'
import type { SignedNote } from './_note.ts'

const COSIGNATURE_V1 = 0x04

export interface CosignerKey {
  name: string
  keyId: Uint8Array
  publicKey: Uint8Array
}

export interface CosignatureCheck {
  state: 'verified' | 'absent' | 'failed'
  /** POSIX seconds at which the witness cosigned (verified lines only). */
  time: number | null
}

/** Key ID: the first 4 bytes of SHA-256(name || "\n" || 0x04 || public key). */
export const cosignerKeyIdOf = (name: string, publicKey: Uint8Array): Uint8Array =>
  sha256(concatBytes(utf8(name), utf8('\n'), Uint8Array.of(COSIGNATURE_V1), publicKey)).slice(0, 4)

/** Parses a witness vkey `name+hexkeyid+base64(0x04||pubkey)` and checks its key ID. */
export function parseCosignerVkey(line: string): CosignerKey {
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(line.trim())
  if (!m) throw new Error('witness vkey: expected name+keyid+key')
  const [, name, hexId, b64] = m as unknown as [string, string, string, string]
  const raw = fromBase64(b64)
  if (raw.length !== 33 || raw[0] !== COSIGNATURE_V1) throw new Error('witness vkey: not a cosignature/v1 key')
  const publicKey = raw.slice(1)
  const keyId = cosignerKeyIdOf(name, publicKey)
  if (
    !equalBytes(
      keyId,
      Uint8Array.from(hexId.match(/../g)!, (h) => parseInt(h, 16)),
    )
  )
    throw new Error('witness vkey: key ID does not match the key')
  return { name, keyId, publicKey }
}

/** The witness's cosignature on the note: verified (with its time), absent, or present but failing. */
export function checkCosignature(note: SignedNote, key: CosignerKey): CosignatureCheck {
  const mine = note.signatures.filter((s) => s.name === key.name && equalBytes(s.keyId, key.keyId))
  if (mine.length === 0) return { state: 'absent', time: null }
  let best: number | null = null
  for (const s of mine) {
    if (s.signature.length !== 72) return { state: 'failed', time: null }
    const view = new DataView(s.signature.buffer, s.signature.byteOffset, 8)
    const time = view.getUint32(0) * 2 ** 32 + view.getUint32(4)
    const message = utf8(`cosignature/v1\ntime ${time}\n${note.text}`)
    if (!Number.isSafeInteger(time) || !ed25519.verify(s.signature.slice(8), message, key.publicKey)) return { state: 'failed', time: null }
    best = Math.max(best ?? 0, time)
  }
  return { state: 'verified', time: best }
}
