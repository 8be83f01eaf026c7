// What this browser remembers of the log: the last checkpoint it verified, per log origin, in localStorage.
// On the next visit the page asks for a consistency proof from that checkpoint to the current one
// (RFC 9162 §2.1.4): a log whose history was rewritten cannot give one, and the page says so
// (docs/decisions/009-log-witness.md). The judgement is a pure function; storage is passed in.
import { equalBytes, fromBase64, toBase64 } from './_bytes.ts'
import { verifyConsistency } from './_merkle.ts'

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
  if (!proof || !verifyConsistency(remembered.size, current.size, proof, root, current.root)) return { kind: 'rewritten', remembered, why: 'proof_failed' }
  return { kind: 'extended', remembered }
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
