/**
 * Shared by the benchmarks: a fixed log key, temp folders, a seeded random source, timing helpers
 * and realistic custody events (~250-350 canonical bytes, as the 1M-entry runs should).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { GENESIS_PREV, type LogEvent, formatVkey } from '../audit/index.ts'
import { ed25519 } from '../crypto/index.ts'
import type { EventDraft, LogSigningKey } from '../server/services/index.ts'
import { installNativeCrypto } from '../server/native-crypto.ts'

// Benchmarks measure the server's path: crypto/ is pure until the native fast path is plugged in (createApp does
// it too; the benchmarks that call crypto/ and audit/ directly need it from here).
installNativeCrypto()

/** The repository root (child processes run from here). */
export const ROOT = fileURLToPath(new URL('..', import.meta.url))

const fixedKey = (seed: number, name: string): LogSigningKey => {
  const privateKey = new Uint8Array(32).fill(seed)
  return { name, privateKey, publicKey: ed25519.publicKey(privateKey) }
}

/** A fixed bench signing key (never a real one): same seed every run, so exports are reproducible. */
export const benchLogKey = (): LogSigningKey => fixedKey(7, 'custody.bench/log')

/** The keys createApp needs, fixed for benchmarks: `createApp({ db, ...benchKeys() })`. */
export const benchKeys = (): { logKey: LogSigningKey; ticketKey: LogSigningKey } => ({ logKey: benchLogKey(), ticketKey: fixedKey(8, 'custody.bench/tickets') })

export const benchVkey = (k: LogSigningKey = benchLogKey()): string => formatVkey(k.name, k.publicKey)

/** Runs fn with a fresh folder under os.tmpdir(), removed afterwards whatever happens. */
export async function withTempDir<T>(prefix: string, fn: (dir: string) => Promise<T> | T): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `custody-bench-${prefix}-`))
  try {
    return await fn(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Deterministic pseudo-random integers in [0, n): every run measures the same input. */
export function seeded(seed = 12345): (n: number) => number {
  let x = seed >>> 0
  return (n) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    return (x >>> 8) % n
  }
}

/** 1000000 → "1M", 200000 → "200k": names say what was measured when a run is scaled down. */
export const countLabel = (n: number): string => (n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n % 1000 === 0 ? `${n / 1000}k` : String(n))

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

export const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length

/** Calls fn repeatedly for about `ms` milliseconds; returns the calls and the exact elapsed seconds. */
export function runFor(ms: number, fn: (i: number) => void): { ops: number; seconds: number } {
  const t0 = performance.now()
  let ops = 0
  // Check the clock every few calls only: reading it is not free next to a 20 µs operation.
  while (performance.now() - t0 < ms) for (let k = 0; k < 8; k++) fn(ops++)
  return { ops, seconds: (performance.now() - t0) / 1000 }
}

const ROLES = ['custodian', 'proctor', 'custodian', 'site_manager'] as const
const PEOPLE = ['zhang.wei', 'wang.fang', 'li.na', 'liu.yang', 'chen.jing', 'yang.lei', 'zhao.min', 'huang.qiang']
const SITES = ['北京-海淀-03', '上海-浦东-11', '广州-天河-07', '成都-武侯-02', '西安-雁塔-05']

const hex = (rand: (n: number) => number, n: number) => {
  let s = ''
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[rand(16)]
  return s
}
const uuid = (rand: (n: number) => number) => `${hex(rand, 8)}-${hex(rand, 4)}-4${hex(rand, 3)}-a${hex(rand, 3)}-${hex(rand, 12)}`
const digits = (rand: (n: number) => number, n: number) => String(rand(10 ** n)).padStart(n, '0')

/**
 * What a service would hand the log on an exam day: mostly kiosk check-ins (one per candidate), then
 * custody moves and sessions by people. Canonical bytes: ~300 for a check-in, ~360-390 for a person's
 * event (the 64-hex prev and a UUID actor are most of it); ~330 on average.
 */
export function syntheticDraft(rand: (n: number) => number): EventDraft {
  const room = `R-${digits(rand, 4)}`
  if (rand(10) < 6) {
    return {
      actor: { system: `kiosk-${room}` },
      action: 'exam.candidate.checked_in',
      subject: { type: 'candidate', id: `C${digits(rand, 9)}` },
      where: { room },
      data: { seat: rand(40) + 1 },
    }
  }
  const who = rand(PEOPLE.length)
  const actor = { user: uuid(rand), name: PEOPLE[who]!, roles: [ROLES[who % ROLES.length]!] }
  const site = SITES[rand(SITES.length)]!
  const packet = { type: 'packet', id: `PKT-2026-${digits(rand, 6)}` }
  switch (rand(3)) {
    case 0:
      return { actor, action: 'custody.packet.sealed', subject: packet, where: { site }, data: { seal: `SEAL-${digits(rand, 8)}` } }
    case 1:
      return { actor, action: 'custody.packet.handed_over', subject: packet, where: { site }, data: { to: PEOPLE[rand(PEOPLE.length)]! } }
    default:
      return { actor, action: 'session.opened', subject: { type: 'user', id: actor.user }, data: {} }
  }
}

/** A full event at `index` (what CustodyLog.append would build), for export generation. */
export function syntheticEvent(rand: (n: number) => number, index: number, prev: string, timeMs: number): LogEvent {
  const d = syntheticDraft(rand)
  return {
    v: 1,
    index,
    prev: index === 0 ? GENESIS_PREV : prev,
    time: new Date(timeMs).toISOString(),
    actor: d.actor,
    action: d.action,
    outcome: 'ok',
    subject: d.subject ?? null,
    where: d.where ?? null,
    data: d.data ?? {},
  }
}

/** 2026-11-25 09:00 CST: bench events start here and move on by a second each. */
export const T0 = Date.parse('2026-11-25T01:00:00.000Z')
