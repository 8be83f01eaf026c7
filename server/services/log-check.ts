// The stored log's self-check (docs/decisions/001-log-format.md, "Start-up check"). Two forms:
//   checkWholeLog   — every leaf hash, the hash chain, every stored Merkle node and the signed checkpoint:
//                     O(entries). Run in the background at start (log-check-worker.ts) and by `verify-log --data`.
//   checkSinceMark  — the same for the entries after the last size this server verified or signed itself
//                     (its size and root kept beside the data: log-mark.ts), plus the frontier of stored nodes
//                     at that size, which must fold to the recorded root: O(new entries + log n). Run before
//                     the server listens, so start-up does not grow with the log.
// Both return a reason instead of throwing; the caller turns a failure into log.damaged.
import { EMPTY_ROOT, GENESIS_PREV, eventHeadOf, leafHash, nodeHash, openNote, parseCheckpoint, rootAt } from '../../audit/index.ts'
import { equalBytes, toHex } from '../../crypto/index.ts'
import type { LogStore } from '../db/log-store.ts'

/** A size and root the server verified (or signed) itself: where the next start-up check begins. */
export interface VerifiedMark {
  size: number
  root: Uint8Array
}

export type LogCheck = { ok: true; size: number; root: Uint8Array } | { ok: false; reason: string }

/** What the check needs to know of the log: its name and the public keys it has signed with. */
export interface LogIdentity {
  origin: string
  vkeys: readonly string[]
}

/** The stored reads the check makes (LogStore, or a read-only LogStore in a worker). */
export type StoredLog = Pick<
  LogStore,
  'tail' | 'checkpointAtMost' | 'iterate' | 'nodesAtLevel' | 'node' | 'innerNodeCountWithin' | 'nodeCountBeyondEntries' | 'entry'
>

class Damage extends Error {}
const damaged = (reason: string): never => {
  throw new Damage(reason)
}

/** Every entry of the first `upTo` (default: all), every stored node among them, and the last checkpoint within. */
export function checkWholeLog(store: StoredLog, id: LogIdentity, upTo = store.tail().size): LogCheck {
  return guarded(() => {
    const signed = signedCheckpoint(store, id, upTo)
    const scan = new Scan(store, 0, GENESIS_PREV, [], signed, 'stream')
    const root = scan.run(upTo)
    const expected = scan.innerNodes
    const stored = store.innerNodeCountWithin(upTo)
    if (stored !== expected) damaged(`the log has ${stored} Merkle nodes where its ${upTo} entries make ${expected}`)
    const beyond = store.nodeCountBeyondEntries()
    if (beyond > 0) damaged(`the log has ${beyond} Merkle nodes over entries that are not stored`)
    return { ok: true, size: upTo, root }
  })
}

/**
 * The entries after `mark` (and the nodes they complete), the frontier of stored nodes at the mark (it must
 * fold to the mark's root) and the last signed checkpoint. Earlier entries are left to checkWholeLog.
 */
export function checkSinceMark(store: StoredLog, id: LogIdentity, mark: VerifiedMark): LogCheck {
  return guarded(() => {
    const size = store.tail().size
    if (mark.size > size)
      damaged(
        `this server verified ${mark.size} entries, but only ${size} are stored: entries are missing (after restoring a backup on purpose, remove the data folder's log-verified.json)`,
      )
    const signed = signedCheckpoint(store, id, size)
    // The frontier at the mark: the perfect subtrees at the set bits of its size, read from the stored nodes.
    const pending: Uint8Array[] = []
    let at = 0
    for (let level = 52; level >= 0; level--) {
      if (Math.floor(mark.size / 2 ** level) % 2 === 1) {
        pending[level] = store.node(level, at / 2 ** level) ?? damaged(`Merkle node (${level}, ${at / 2 ** level}) is missing`)
        at += 2 ** level
      }
    }
    if (!equalBytes(foldFrontier(pending, mark.size), mark.root))
      damaged(`the stored Merkle nodes of the first ${mark.size} entries no longer have the root this server verified`)
    let prev = GENESIS_PREV
    if (mark.size > 0) {
      const last = store.entry(mark.size - 1) ?? damaged(`entry ${mark.size - 1} is missing`)
      if (!equalBytes(leafHash(last.bytes), last.leaf)) damaged(`entry ${mark.size - 1}: stored leaf hash does not match its bytes`)
      prev = toHex(last.leaf)
    }
    // A checkpoint signed before the mark is checked against the stored nodes (O(log n) reads).
    if (signed && signed.size < mark.size && !equalBytes(rootAt(nodeSource(store), signed.size), signed.root)) {
      damaged(`the first ${signed.size} entries do not have the root of the signed checkpoint`)
    }
    const root = new Scan(store, mark.size, prev, pending, signed && signed.size >= mark.size ? signed : null, 'lookup').run(size)
    return { ok: true, size, root }
  })
}

/** The last checkpoint within `size` entries, its signature checked against the log's keys; null when none. */
function signedCheckpoint(store: StoredLog, id: LogIdentity, size: number): { size: number; root: Uint8Array } | null {
  const last = store.checkpointAtMost(Number.MAX_SAFE_INTEGER)
  if (!last) return null
  if (last.size > store.tail().size) damaged(`checkpoint ${last.size} was signed but only ${store.tail().size} entries are stored: entries are missing`)
  const row = last.size <= size ? last : store.checkpointAtMost(size)
  if (!row) return null
  const opened = openNote(row.note, id.vkeys)
  if (!opened.signatures.some((s) => s.verified)) damaged(`checkpoint ${row.size} has no valid signature of this log's keys`)
  const cp = parseCheckpoint(opened.text)
  if (cp.size !== row.size || cp.origin !== id.origin) damaged(`checkpoint row ${row.size} does not match its note (size ${cp.size}, origin ${cp.origin})`)
  if (cp.size === 0 && !equalBytes(EMPTY_ROOT, cp.rootHash)) damaged('the empty checkpoint has a wrong root')
  return { size: cp.size, root: cp.rootHash }
}

/**
 * Walks entries [from, to): leaf hashes, the chain, and every perfect subtree each leaf completes, compared
 * with the stored node. `pending[level]` is the latest completed subtree at that level: those at the set
 * bits of n are the tree's frontier after n entries, so the root is folded from them (no second tree).
 * 'stream' reads stored nodes level by level in index order (a whole log); 'lookup' reads each by key (a tail).
 */
class Scan {
  innerNodes = 0
  private readonly levels: Array<Generator<{ idx: number; hash: Uint8Array }>> = []

  constructor(
    private readonly store: StoredLog,
    private readonly from: number,
    private prev: string,
    private readonly pending: Uint8Array[],
    private readonly signed: { size: number; root: Uint8Array } | null,
    private readonly nodes: 'stream' | 'lookup',
  ) {}

  run(to: number): Uint8Array {
    let n = this.from
    if (this.signed && this.signed.size === n && !equalBytes(foldFrontier(this.pending, n), this.signed.root)) {
      damaged(`the first ${n} entries do not have the root of the signed checkpoint`)
    }
    for (const row of this.store.iterate(this.from, to)) {
      if (row.idx !== n) damaged(`entry ${n} is missing`)
      const leaf = leafHash(row.bytes)
      if (!equalBytes(leaf, row.leaf)) damaged(`entry ${n}: stored leaf hash does not match its bytes`)
      const e = eventHeadOf(row.bytes)
      if (e.index !== n) damaged(`entry ${n}: its bytes say index ${e.index}`)
      if (e.prev !== this.prev) damaged(`entry ${n}: hash chain broken (prev does not match entry ${n - 1})`)
      this.prev = toHex(leaf)
      let hash = leaf
      let level = 0
      for (let idx = n; idx % 2 === 1; idx = (idx - 1) / 2) {
        hash = nodeHash(this.pending[level]!, hash)
        level++
        if (!equalBytes(this.storedNode(level, (idx - 1) / 2) ?? new Uint8Array(0), hash)) {
          damaged(`Merkle node (${level}, ${(idx - 1) / 2}) does not match the entries`)
        }
        this.innerNodes++
      }
      this.pending[level] = hash
      n++
      if (this.signed && n === this.signed.size && !equalBytes(foldFrontier(this.pending, n), this.signed.root)) {
        damaged(`the first ${n} entries do not have the root of the signed checkpoint`)
      }
    }
    if (n !== to) damaged(`expected ${to} entries, found ${n}`)
    const root = foldFrontier(this.pending, to)
    if (!equalBytes(root, rootAt(nodeSource(this.store), to))) damaged('the stored Merkle nodes disagree with the entries')
    return root
  }

  private storedNode(level: number, idx: number): Uint8Array | null {
    if (this.nodes === 'lookup') return this.store.node(level, idx)
    const next = (this.levels[level] ??= this.store.nodesAtLevel(level)).next()
    return next.done || next.value.idx !== idx ? null : next.value.hash
  }
}

/** The root of `count` entries from the frontier subtrees (RFC 9162 §2.1.1: right to left). */
function foldFrontier(pending: readonly Uint8Array[], count: number): Uint8Array {
  let root: Uint8Array | null = null
  for (let level = 0; 2 ** level <= count; level++) {
    if (Math.floor(count / 2 ** level) % 2 === 1) root = root ? nodeHash(pending[level]!, root) : pending[level]!
  }
  return root ?? EMPTY_ROOT
}

const nodeSource = (store: StoredLog) => ({
  node: (level: number, idx: number) => store.node(level, idx) ?? damaged(`Merkle node (${level}, ${idx}) is missing`),
})

function guarded(f: () => LogCheck): LogCheck {
  try {
    return f()
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) }
  }
}
