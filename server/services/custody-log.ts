import type { Database } from 'bun:sqlite'
import {
  type Canonical,
  type LogEvent,
  type NodeSource,
  GENESIS_PREV,
  KEY_ROTATED,
  consistencyProof,
  decodeEvent,
  encodeEvent,
  formatCheckpoint,
  formatExportLine,
  formatExportTrailer,
  formatVkey,
  inclusionProof,
  keyRotationData,
  leafHash,
  nodesToStore,
  rootAt,
  signNote,
} from '../../audit/index.ts'
import { toHex } from '../../crypto/index.ts'
import type { LogStore } from '../db/log-store.ts'
import { type LogIdentity, type VerifiedMark, checkSinceMark, checkWholeLog } from './log-check.ts'

/** Where the size and root this server last verified are kept (beside the data: server/log-mark.ts). */
export interface MarkKeeper {
  save(mark: VerifiedMark): void
}

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

export interface LogSigningKey {
  name: string
  privateKey: Uint8Array
  publicKey: Uint8Array
}

/** Broken invariant: the stored log does not match what was signed. Writes stop until a person looks. */
export class LogDamagedError extends Error {
  constructor(readonly reason: string) {
    super(`custody log damaged: ${reason}`)
    this.name = 'LogDamagedError'
  }
}

/**
 * The custody log of this server: appends events inside the caller's transaction (the change and its
 * event commit together), keeps the Merkle nodes, signs C2SP checkpoints, serves proofs and exports.
 */
export class CustodyLog {
  private damage: string | null = null
  private marks: MarkKeeper | null = null
  private readonly nodes: NodeSource
  private readonly signedListeners: Array<(cp: { size: number; note: string }) => void> = []

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

  get origin(): string {
    return this.key.name
  }
  get vkey(): string {
    return formatVkey(this.key.name, this.key.publicKey)
  }
  get damaged(): string | null {
    return this.damage
  }
  size(): number {
    return this.store.tail().size
  }

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

  root(size = this.size()): Uint8Array {
    return rootAt(this.nodes, size)
  }

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
    const rootHash = this.root(size)
    const text = formatCheckpoint({ origin: this.key.name, size, rootHash })
    const note = signNote(text, this.key.name, this.key.privateKey)
    this.store.insertCheckpoint(size, note, this.clock())
    // Inside a transaction the checkpoint could still roll back: the next one outside records the mark.
    if (!this.db.inTransaction) this.marks?.save({ size, root: rootHash })
    for (const listener of this.signedListeners) listener({ size, note })
    return { size, note }
  }

  /** Called after every checkpoint signed (outside witnesses are sent it: docs/decisions/009-log-witness.md). */
  onCheckpoint(listener: (cp: { size: number; note: string }) => void): void {
    this.signedListeners.push(listener)
  }

  inclusionProof(index: number, size: number): Uint8Array[] {
    return inclusionProof(this.nodes, index, size)
  }
  consistencyProof(from: number, to: number): Uint8Array[] {
    return consistencyProof(this.nodes, from, to)
  }

  entry(index: number): { index: number; bytes: Uint8Array; leaf: Uint8Array; event: LogEvent } | null {
    const row = this.store.entry(index)
    return row ? { index: row.idx, bytes: row.bytes, leaf: row.leaf, event: decodeEvent(row.bytes) } : null
  }

  /** Public keys this log has signed with, oldest first. */
  vkeys(): string[] {
    return this.store.keys().map((k) => k.vkey)
  }

  /**
   * JSON Lines export: every event, then the checkpoint over exactly those events (by default the latest; the
   * caller may pass one whose note carries witnesses' cosignatures).
   */
  *exportLines(cp: { size: number; note: string } = this.checkpoint()): Generator<string> {
    for (const row of this.store.iterate(0, cp.size)) yield formatExportLine(row.idx, row.bytes)
    yield formatExportTrailer(cp.note, this.vkeys())
  }

  /**
   * Start-up check (log-check.ts): without a mark, every entry, node and the last checkpoint (O(n)); with the
   * mark this server recorded (the size and root it last verified or signed), only what came after it and the
   * frontier at it (O(new entries)), the rest being left to a background checkWholeLog. On any disagreement
   * the log refuses writes and says why, instead of signing over damage.
   */
  verifyStored(mark?: VerifiedMark | null): { ok: true; size: number } | { ok: false; reason: string } {
    const r = mark ? checkSinceMark(this.store, this.identity(), mark) : checkWholeLog(this.store, this.identity())
    if (!r.ok) return this.markDamaged(r.reason)
    this.marks?.save({ size: r.size, root: r.root })
    return { ok: true, size: r.size }
  }

  /** What a check of the stored rows needs to know: the log's name and every key it signed with. */
  identity(): LogIdentity {
    return { origin: this.key.name, vkeys: this.vkeys() }
  }

  /** Keeps the size and root of every checkpoint this server signs, so the next start checks only what follows. */
  keepMarks(keeper: MarkKeeper): void {
    this.marks = keeper
  }

  /** A check outside the start-up path (the background whole-log check) found damage: writes stop now. */
  reportDamage(reason: string): void {
    this.markDamaged(reason)
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
