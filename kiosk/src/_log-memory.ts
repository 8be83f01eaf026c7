// What this browser remembers of the log: the last checkpoint it verified, per log origin, in localStorage.
// On the next visit the page asks for a consistency proof from that checkpoint to the current one
// (RFC 9162 §2.1.4): a log whose history was rewritten cannot give one, and the page says so
// (docs/decisions/009-log-witness.md). The judgements are pure functions over audit/'s own code (bundled,
// so the browser checks with the same code as the server and the CLI); storage is passed in.
import { type CosignerKey, openCosignatures, verifyConsistency } from '../../audit/index.ts'
import { equalBytes, fromBase64, toBase64 } from '../../crypto/index.ts'

export interface RememberedCheckpoint {
  origin: string
  size: number
  root: string
  verifiedAt: string
}
export interface CurrentCheckpoint {
  origin: string
  size: number
  root: Uint8Array
}

export type HistoryVerdict =
  | { kind: 'first' } // nothing remembered for this log
  | { kind: 'same'; remembered: RememberedCheckpoint }
  | { kind: 'extended'; remembered: RememberedCheckpoint } // the consistency proof verified: only appended
  | { kind: 'rewritten'; remembered: RememberedCheckpoint; why: 'root_changed' | 'shrunk' | 'proof_failed' }

/**
 * Compares the current checkpoint with the one remembered. `proof` is the consistency proof from the
 * remembered size to the current size (null when none was needed or none could be had).
 * `judgeHistory(remembered, current, proof).kind === 'extended'`
 */
export function judgeHistory(remembered: RememberedCheckpoint | null, current: CurrentCheckpoint, proof: readonly Uint8Array[] | null): HistoryVerdict {
  if (!remembered || remembered.origin !== current.origin) return { kind: 'first' }
  const root = fromBase64(remembered.root)
  if (current.size < remembered.size) return { kind: 'rewritten', remembered, why: 'shrunk' }
  if (current.size === remembered.size)
    return equalBytes(root, current.root) ? { kind: 'same', remembered } : { kind: 'rewritten', remembered, why: 'root_changed' }
  if (remembered.size === 0) return { kind: 'extended', remembered } // every tree extends the empty one
  if (!proof || !consistent(remembered.size, current.size, proof, root, current.root)) return { kind: 'rewritten', remembered, why: 'proof_failed' }
  return { kind: 'extended', remembered }
}

/** audit/'s RFC 9162 §2.1.4.2 check (the server's own code, bundled), as a yes or no. */
function consistent(size1: number, size2: number, proof: readonly Uint8Array[], root1: Uint8Array, root2: Uint8Array): boolean {
  try {
    verifyConsistency(size1, size2, proof, root1, root2)
    return true
  } catch {
    return false
  }
}

const keyOf = (origin: string): string => `custody.log.verified:${origin}`

/** The checkpoint this browser last verified for `origin`, or null. */
export function recall(storage: Pick<Storage, 'getItem'>, origin: string): RememberedCheckpoint | null {
  try {
    const raw = storage.getItem(keyOf(origin))
    if (!raw) return null
    const r = JSON.parse(raw) as RememberedCheckpoint
    return r.origin === origin && Number.isSafeInteger(r.size) && fromBase64(r.root).length === 32 ? r : null
  } catch {
    return null
  }
}

/** Remembers a checkpoint whose signature and history this browser verified. */
export function remember(storage: Pick<Storage, 'setItem'>, cp: CurrentCheckpoint, now: Date): void {
  const r: RememberedCheckpoint = { origin: cp.origin, size: cp.size, root: toBase64(cp.root), verifiedAt: now.toISOString() }
  try {
    storage.setItem(keyOf(cp.origin), JSON.stringify(r))
  } catch {
    /* private mode or full: nothing is remembered */
  }
}

/** A witness's cosignature on the checkpoint as the page shows it: verified (with its time), absent, or present but failing. */
export interface CosignatureCheck {
  state: 'verified' | 'absent' | 'failed'
  /** POSIX seconds at which the witness cosigned (verified only). */
  time: number | null
}

/**
 * Checks the cosignature lines of one witness (c2sp.org/tlog-cosignature) on a signed checkpoint note; throws
 * on a malformed note or vkey. `checkCosignature(noteText, witnessVkey).state === 'verified'`
 */
export function checkCosignature(note: string, key: CosignerKey | string): CosignatureCheck {
  const mine = openCosignatures(note, [key])
  if (mine.length === 0) return { state: 'absent', time: null }
  if (mine.some((c) => !c.verified)) return { state: 'failed', time: null }
  return { state: 'verified', time: Math.max(...mine.map((c) => c.time)) }
}
