import type { Database } from 'bun:sqlite'
import {
  type Canonical, type LogEvent, type NodeSource,
  EMPTY_ROOT, GENESIS_PREV, nodeHash, KEY_ROTATED, consistencyProof, decodeEvent, encodeEvent, eventHeadOf, formatCheckpoint,
  formatExportLine, formatExportTrailer, formatVkey, inclusionProof, keyRotationData, leafHash, nodesToStore,
  openNote, parseCheckpoint, rootAt, signNote,
} from '../../audit/index.ts'
import { equalBytes, toHex } from '../../crypto/index.ts'
import type { LogStore } from '../db/log-store.ts'

export type Actor = LogEvent['actor']
export const SYSTEM: Actor = { system: 'custody-server' }

/** What a service says happened; the log adds index, chain link and time. */
export interface EventDraft {
  actor: Actor
  action: string
  outcome?: 'ok' | 'refused'
  subject?: { type: string; id: string } | null
  where?: { site?: string; room?: string } | null
  data?: { [k: string]: Canonical }
}

export interface LogSigningKey { name: string; privateKey: Uint8Array; publicKey: Uint8Array }

/** Broken invariant: the stored log does not match what was signed. Writes stop until a person looks. */
export class LogDamagedError extends Error {
  constructor(readonly reason: string) { super(`custody log damaged: ${reason}`); this.name = 'LogDamagedError' }
}

/**
 * The custody log of this server: appends events inside the caller's transaction (the change and its
 * event commit together), keeps the Merkle nodes, signs C2SP checkpoints, serves proofs and exports.
 */
export class CustodyLog {
  private damage: string | null = null
  private readonly nodes: NodeSource

  constructor(
    private readonly db: Database,
    readonly store: LogStore,
    private key: LogSigningKey,
    private readonly clock: () => number,
  ) {
    this.nodes = {
      node: (level, idx) => {
        const h = store.node(level, idx)
        if (!h) throw new LogDamagedError(`Merkle node (${level}, ${idx}) is missing`)
        return h
      },
    }
    if (!store.keys().some((k) => k.vkey === this.vkey)) {
      // First run with this key (a fresh data folder): record its public half.
      if (store.keys().length > 0) throw new LogDamagedError('the signing key in the data folder is not one this log has used')
      store.insertKey(this.vkey, 0, clock())
    }
  }

  get origin(): string { return this.key.name }
  get vkey(): string { return formatVkey(this.key.name, this.key.publicKey) }
  get damaged(): string | null { return this.damage }
  size(): number { return this.store.tail().size }

  /** Appends one event. Must run inside the caller's write transaction. */
  append(d: EventDraft): LogEvent {
    if (this.damage) throw new LogDamagedError(this.damage)
    if (!this.db.inTransaction) throw new Error('CustodyLog.append must run inside the transaction of the change it records')
    const { size, lastLeaf } = this.store.tail()
    const event: LogEvent = {
      v: 1,
      index: size,
      prev: lastLeaf ? toHex(lastLeaf) : GENESIS_PREV,
      time: new Date(this.clock()).toISOString(),
      actor: d.actor,
      action: d.action,
      outcome: d.outcome ?? 'ok',
      subject: d.subject ?? null,
      where: d.where ?? null,
      data: d.data ?? {},
    }
    const bytes = encodeEvent(event)
    const leaf = leafHash(bytes)
    this.store.insertEntry(size, bytes, leaf, event.action, event.subject, event.time)
    for (const n of nodesToStore(size, leaf, this.nodes)) this.store.insertNode(n.level, n.index, n.hash)
    return event
  }

  /** Appends one event in a transaction of its own: for refusals, whose change was rolled back. */
  appendAlone(d: EventDraft): LogEvent {
    return this.db.transaction(() => this.append(d)).immediate()
  }

  root(size = this.size()): Uint8Array { return rootAt(this.nodes, size) }

  /** The latest signed checkpoint, signing a new one first if events arrived since (on demand). */
  checkpoint(): { size: number; note: string } {
    const size = this.size()
    const last = this.store.latestCheckpoint()
    if (last && last.size === size) return { size, note: last.note }
    return this.signCheckpoint(size)
  }

  /** Signs and stores a checkpoint of the first `size` entries (the timer calls this every few seconds). */
  signCheckpoint(size = this.size()): { size: number; note: string } {
    if (this.damage) throw new LogDamagedError(this.damage)
    const text = formatCheckpoint({ origin: this.key.name, size, rootHash: this.root(size) })
    const note = signNote(text, this.key.name, this.key.privateKey)
    this.store.insertCheckpoint(size, note, this.clock())
    return { size, note }
  }

  inclusionProof(index: number, size: number): Uint8Array[] { return inclusionProof(this.nodes, index, size) }
  consistencyProof(from: number, to: number): Uint8Array[] { return consistencyProof(this.nodes, from, to) }

  entry(index: number): { index: number; bytes: Uint8Array; leaf: Uint8Array; event: LogEvent } | null {
    const row = this.store.entry(index)
    return row ? { index: row.idx, bytes: row.bytes, leaf: row.leaf, event: decodeEvent(row.bytes) } : null
  }

  /** Public keys this log has signed with, oldest first. */
  vkeys(): string[] { return this.store.keys().map((k) => k.vkey) }

  /** JSON Lines export: every event, then the checkpoint over exactly those events. */
  *exportLines(): Generator<string> {
    const cp = this.checkpoint()
    for (const row of this.store.iterate(0, cp.size)) yield formatExportLine(row.idx, row.bytes)
    yield formatExportTrailer(cp.note, this.vkeys())
  }

  /**
   * Start-up check (issue 2): recompute every leaf hash, the hash chain and the Merkle root from the stored
   * bytes; the last stored checkpoint must carry a valid signature of a key this log used, and its size and
   * root must match the recomputation; the stored Merkle nodes must agree too. On any disagreement the log
   * refuses writes and says why, instead of signing over damage.
   */
  verifyStored(): { ok: true; size: number } | { ok: false; reason: string } {
    try {
      const size = this.size()
      const last = this.store.latestCheckpoint()
      let signed: { size: number; root: Uint8Array } | null = null
      if (last) {
        const opened = openNote(last.note, this.vkeys())
        if (!opened.signatures.some((s) => s.verified)) return this.markDamaged(`checkpoint ${last.size} has no valid signature of this log's keys`)
        const cp = parseCheckpoint(opened.text)
        if (cp.size !== last.size || cp.origin !== this.key.name) return this.markDamaged(`checkpoint row ${last.size} does not match its note (size ${cp.size}, origin ${cp.origin})`)
        if (cp.size > size) return this.markDamaged(`checkpoint ${cp.size} was signed but only ${size} entries are stored: entries are missing`)
        signed = { size: cp.size, root: cp.rootHash }
      }
      // pending[level]: the latest perfect subtree completed at that level. Those at the set bits of n are the
      // tree's frontier after n entries, so the root is folded from them (no second tree is kept).
      const pending: Uint8Array[] = []
      const rootAfter = (count: number): Uint8Array => {
        let root: Uint8Array | null = null
        for (let level = 0; 2 ** level <= count; level++) {
          if (Math.floor(count / 2 ** level) % 2 === 1) root = root ? nodeHash(pending[level]!, root) : pending[level]!
        }
        return root ?? EMPTY_ROOT
      }
      // The stored nodes, read level by level in index order beside the entries (no lookup per node).
      const levels: Array<Generator<{ idx: number; hash: Uint8Array }>> = []
      let expectedNodes = 0
      let prev = GENESIS_PREV
      let n = 0
      if (signed && signed.size === 0 && !equalBytes(EMPTY_ROOT, signed.root)) return this.markDamaged('the empty checkpoint has a wrong root')
      for (const row of this.store.iterate(0, size)) {
        if (row.idx !== n) return this.markDamaged(`entry ${n} is missing`)
        const leaf = leafHash(row.bytes)
        if (!equalBytes(leaf, row.leaf)) return this.markDamaged(`entry ${n}: stored leaf hash does not match its bytes`)
        const e = eventHeadOf(row.bytes)
        if (e.index !== n) return this.markDamaged(`entry ${n}: its bytes say index ${e.index}`)
        if (e.prev !== prev) return this.markDamaged(`entry ${n}: hash chain broken (prev does not match entry ${n - 1})`)
        prev = toHex(leaf)
        // Every perfect subtree this leaf completes must be stored exactly as recomputed: proofs are built from them.
        let hash = leaf
        let level = 0
        for (let idx = n; idx % 2 === 1; idx = (idx - 1) / 2) {
          hash = nodeHash(pending[level]!, hash)
          level++
          const stored = (levels[level] ??= this.store.nodesAtLevel(level)).next()
          if (stored.done || stored.value.idx !== (idx - 1) / 2 || !equalBytes(stored.value.hash, hash)) {
            return this.markDamaged(`Merkle node (${level}, ${(idx - 1) / 2}) does not match the entries`)
          }
          expectedNodes++
        }
        pending[level] = hash
        n++
        if (signed && n === signed.size && !equalBytes(rootAfter(n), signed.root)) {
          return this.markDamaged(`the first ${n} entries do not have the root of the signed checkpoint`)
        }
      }
      if (n !== size) return this.markDamaged(`expected ${size} entries, found ${n}`)
      if (this.store.innerNodeCount() !== expectedNodes) return this.markDamaged(`the log has ${this.store.innerNodeCount()} Merkle nodes where its ${size} entries make ${expectedNodes}`)
      if (!equalBytes(rootAfter(size), this.root(size))) return this.markDamaged('the stored Merkle nodes disagree with the entries')
      return { ok: true, size }
    } catch (e) {
      return this.markDamaged(e instanceof Error ? e.message : String(e))
    }
  }

  /** Rotates the signing key: an event signed by old and new keys, then checkpoints use the new key. */
  rotateKey(actor: Actor, next: LogSigningKey, persist: (k: LogSigningKey) => void): LogEvent {
    const index = this.size()
    const data = keyRotationData({ index, old: this.key, new: next })
    const event = this.append({ actor, action: KEY_ROTATED, subject: { type: 'log', id: this.key.name }, data: { ...data } })
    this.store.insertKey(data.new, index, this.clock())
    // Last step inside the transaction: if the new key cannot be kept, the rotation rolls back.
    persist(next)
    this.key = next
    return event
  }

  private markDamaged(reason: string): { ok: false; reason: string } {
    this.damage = reason
    return { ok: false, reason }
  }
}
