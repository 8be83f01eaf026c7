import type { Database } from 'bun:sqlite'
import { randomBytes, randomUUID } from 'node:crypto'
import type { Canonical } from '../../audit/index.ts'
import {
  type ByteSource,
  type MasterKey,
  PaperCryptoError,
  decryptStream,
  encryptStream,
  generateDataKey,
  generateMasterKey,
  rewrapKey,
  unwrapKey,
  unwrapKeyWithPrivate,
  wrapKey,
  wrapKeyToPublic,
  wrappedKeyVersion,
} from '../../crypto/index.ts'
import type { KeyRefusal } from '../domain/keys/index.ts'
import type { KeyCeremonies } from './key-ceremony.ts'
import type { User } from '../domain/accounts/index.ts'
import { type Result, ok, refuse } from '../domain/_result.ts'
import {
  type CustodyEventDraft,
  type CustodyRefusal,
  type CustodySettings,
  type Packet,
  type Paper,
  type PaperKind,
  type PaperRefusal,
  type PerCopy,
  type PrintJob,
  type PrintTarget,
  type PrintWindow,
  ALERT_PREFIX,
  approvePrint,
  cancelPrint,
  checkCopiesPrinted,
  checkCustodySettings,
  checkFileChange,
  checkPaperActive,
  checkPaperRole,
  decideCreatePaper,
  decideDecrypt,
  decidePrint,
  decideSettings,
  lapseApprovals,
  lastCopyNumber,
  planPackets,
  printTargets,
  printWindow,
  requestPrint,
} from '../domain/custody/index.ts'
import type { BatchStore } from '../db/batch-store.ts'
import type { LeakStore } from '../db/leak-store.ts'
import type { PacketStore } from '../db/packet-store.ts'
import type { Room, Site } from '../domain/rooms/index.ts'
import type { RoomsStore } from '../db/rooms-store.ts'
import type { SessionInfo, SessionInfoReads } from '../db/read-models/session-info.ts'
import type { PaperFile, PaperStore } from '../db/paper-store.ts'
import { type PaperBlobStore, blobSha256 } from '../paper-blobs.ts'
import type { CustodyLog } from './custody-log.ts'
import { type Person, domainActor } from './_acting.ts'

/** A person acting through their own login (the custody domain needs an account, not a system actor). */

/** The domain's refusals (custody/_papers.ts: roles, title, one paper per kind, file lock, settings bounds) and the service's own. */
export type PapersError =
  | CustodyRefusal
  | PaperRefusal
  | { code: 'print_job.not_found'; id: string }
  | { code: 'packet.not_found'; id: string }
  | { code: 'batch.not_found'; id: string }
  | { code: 'paper.no_file'; paperId: string }
  | { code: 'paper.file_empty' }
  | { code: 'paper.file_too_large'; maxBytes: number }
  | { code: 'paper.file_damaged'; paperId: string; reason: 'missing' | 'checksum' | 'key' }
  | { code: 'paper.key_unavailable'; paperId: string; masterKeyId: string }
  // the split paper key (docs/decisions/008-split-master-key.md)
  | KeyRefusal
  | { code: 'master_key.not_plain' }

/** ~2.5 GB: the issue asks for files of at least 2 GB; the server accepts request bodies up to 3 GiB. */
export const MAX_PAPER_BYTES = 2.5 * 1024 ** 3

// ---------- master keys ----------

/** Where master keys are kept (DATA_DIR/keys/master-<id>.key); tests keep them in memory. */
export interface MasterKeyKeeper {
  save(key: MasterKey): void
  remove(id: string): void
}

/** A fresh master key whose id says when it was made: `mk-20261125T010000Z-3fa2c1`. */
export function newMasterKey(now: number): MasterKey {
  const stamp = new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
  return generateMasterKey(`mk-${stamp}-${randomBytes(3).toString('hex')}`)
}

/**
 * The master keys this server holds, oldest first; the newest wraps new data keys. Old keys stay until no
 * wrapped key names them (docs/decisions/003-paper-encryption.md, rotation).
 */
export class MasterKeyRing {
  private ring: MasterKey[]

  /** Empty in a data folder made after the split key (008), or once a key ceremony converted the papers. */
  constructor(
    keys: readonly MasterKey[],
    private readonly keeper: MasterKeyKeeper = { save: () => {}, remove: () => {} },
  ) {
    this.ring = [...keys]
  }

  get current(): MasterKey | null {
    return this.ring[this.ring.length - 1] ?? null
  }
  all(): readonly MasterKey[] {
    return this.ring
  }
  ids(): string[] {
    return this.ring.map((k) => k.id)
  }

  /** Keeps the key first (a crash then leaves an unused key, never a wrapped key without its master), then uses it. */
  add(key: MasterKey): void {
    if (this.ring.some((k) => k.id === key.id)) throw new Error(`master key ${key.id} exists`)
    this.keeper.save(key)
    this.ring.push(key)
  }

  retire(id: string): void {
    if (id === this.current?.id) throw new Error('the current master key cannot be retired')
    this.keeper.remove(id)
    this.ring = this.ring.filter((k) => k.id !== id)
  }

  /** Deletes every plain master key (their files too): a key ceremony has moved all data keys to the public key (008). */
  retireAll(): string[] {
    const ids = this.ids()
    for (const id of ids) this.keeper.remove(id)
    for (const k of this.ring) k.key.fill(0)
    this.ring = []
    return ids
  }
}

// ---------- what the service answers ----------

export interface PaperDetail {
  paper: Paper
  file: PaperFile | null
  jobs: PrintJob[]
  packets: Packet[]
  window: PrintWindow
}

export interface SessionPapers {
  session: SessionInfo
  settings: CustodySettings
  window: PrintWindow
  papers: Array<{ paper: Paper; file: PaperFile | null }>
}

export interface Decryption {
  job: PrintJob
  file: PaperFile
  /** The plaintext, streamed; it ends with an error (and an alert) if the ciphertext fails authentication. */
  body: AsyncIterable<Uint8Array>
}

export interface PacketLabel {
  packet: Packet
  paper: Paper
  session: SessionInfo | null
  room: Room | null
  site: Site | null
  printedBy: { username: string; displayName: string } | null
}

export interface RotationSummary {
  keyId: string
  previous: string[]
  rewrapped: number
  failed: Array<{ paperId: string; code: string }>
  retired: string[]
}

export interface PrintRequestInput {
  sparesPerRoom?: number
  perCopy?: PerCopy
  copies?: number
}

/** Copies a job's plan numbers (the custody domain's rule, re-exported for the routes and the demo). */
export { plannedCopies } from '../domain/custody/index.ts'

/**
 * Papers and their encrypted files, print jobs under two-person control, the packets printing creates,
 * the batches' custody settings and the master keys (R5.1–R5.2). Every state change commits with
 * its custody event; plaintext exists only in memory, in chunks, on its way in and out.
 */
export class Papers {
  constructor(
    private readonly db: Database,
    readonly store: PaperStore,
    private readonly rooms: RoomsStore,
    /** Other aggregates, each through its own store: batches and their sessions, the packets a print makes, alerts. */
    private readonly others: {
      batches: Pick<BatchStore, 'byId' | 'sessionsOf'>
      packets: Pick<PacketStore, 'packet' | 'packetsOfPaper' | 'packetsOfJob' | 'insertPacket'>
      alerts: Pick<LeakStore, 'insertAlert'>
      /** The session with its batch, subject and occupation names (a read model). */
      sessions: Pick<SessionInfoReads, 'session'>
    },
    private readonly users: { get(id: string): User | null },
    private readonly log: CustodyLog,
    private readonly clock: () => number,
    private readonly blobs: PaperBlobStore,
    readonly keys: MasterKeyRing,
    /** The split paper key: its public key wraps uploads; k holders' shares open a print job (008). */
    readonly paperKeys: KeyCeremonies,
    private readonly options: { maxFileBytes?: number } = {},
  ) {}

  get maxFileBytes(): number {
    return this.options.maxFileBytes ?? MAX_PAPER_BYTES
  }

  // ---------- reading ----------

  paper(id: string): Paper | null {
    return this.store.paper(id)
  }
  job(id: string): PrintJob | null {
    return this.store.job(id)
  }
  packet(id: string): Packet | null {
    return this.others.packets.packet(id)
  }
  packetsOfJob(jobId: string): Packet[] {
    return this.others.packets.packetsOfJob(jobId)
  }
  /** A batch's settings (defaults if never set): the decryption window, the opening minutes, spares. */
  settings(batchId: string): CustodySettings {
    return this.store.settings(batchId)
  }
  /** Whether the batch exists (its custody settings may be read and set). */
  batchExists(batchId: string): boolean {
    return this.others.batches.byId(batchId) !== null
  }

  /** The decryption window of a session under its batch's settings. */
  windowOf(session: SessionInfo): PrintWindow {
    return printWindow(session.startsAt, this.store.settings(session.batchId))
  }

  detail(paperId: string): Result<PaperDetail, PapersError> {
    const paper = this.store.paper(paperId)
    if (!paper) return refuse({ code: 'paper.not_found', id: paperId })
    const session = this.others.sessions.session(paper.examSessionId)
    if (!session) return refuse({ code: 'session.not_found', id: paper.examSessionId })
    return ok({
      paper,
      file: this.store.file(paperId),
      jobs: this.store.jobsOfPaper(paperId),
      packets: this.others.packets.packetsOfPaper(paperId),
      window: this.windowOf(session),
    })
  }

  ofSession(sessionId: string): Result<SessionPapers, PapersError> {
    const session = this.others.sessions.session(sessionId)
    if (!session) return refuse({ code: 'session.not_found', id: sessionId })
    return ok({
      session,
      settings: this.store.settings(session.batchId),
      window: this.windowOf(session),
      papers: this.store.papersOfSession(sessionId).map((paper) => ({ paper, file: this.store.file(paper.id) })),
    })
  }

  /** Display names of the accounts named in custody records, for pages (staff, not candidates). */
  names(ids: Iterable<string>): Record<string, string> {
    const out: Record<string, string> = {}
    for (const id of ids) {
      const u = this.users.get(id)
      if (u) out[id] = u.displayName
    }
    return out
  }

  label(packetId: string): Result<PacketLabel, PapersError> {
    const packet = this.others.packets.packet(packetId)
    if (!packet) return refuse({ code: 'packet.not_found', id: packetId })
    const paper = this.store.paper(packet.paperId)
    if (!paper) return refuse({ code: 'paper.not_found', id: packet.paperId })
    const room = packet.roomId ? this.rooms.room(packet.roomId) : null
    const printer = this.users.get(packet.printedBy)
    return ok({
      packet,
      paper,
      session: this.others.sessions.session(packet.examSessionId),
      room,
      site: room ? this.rooms.site(room.siteId) : null,
      printedBy: printer ? { username: printer.username, displayName: printer.displayName } : null,
    })
  }

  // ---------- papers ----------

  create(actor: Person, sessionId: string, cmd: { kind: PaperKind; title: string }): Result<Paper, PapersError> {
    return this.db
      .transaction((): Result<Paper, PapersError> => {
        const session = this.others.sessions.session(sessionId)
        const decided = decideCreatePaper(
          { id: randomUUID(), actor: domainActor(actor), sessionId, kind: cmd.kind, title: cmd.title },
          { session, sameKind: session ? this.store.papersOfSession(sessionId) : [] },
          this.clock(),
        )
        if (!decided.ok) return decided
        this.store.insertPaper(decided.value.paper)
        this.appendAll(actor, decided.value.events)
        return ok(decided.value.paper)
      })
      .immediate()
  }

  /** Why this paper's file may not be (re)placed now (the domain's checkFileChange), or null. */
  private fileRefusal(actor: Person, paperId: string): PapersError | null {
    const paper = this.store.paper(paperId)
    const decided = checkFileChange(domainActor(actor), {
      paperId,
      paper,
      jobs: paper ? this.store.jobsOfPaper(paperId) : [],
      // No plain master key is made any more: until the first key ceremony there is nothing to wrap to (008).
      keyReady: this.paperKeys.publicKey() !== null || this.keys.current !== null,
    })
    return decided.ok ? null : decided.error
  }

  /**
   * Encrypts an upload on its way to the blob store (R5.1): a fresh data key, wrapped under the current
   * master key; no plaintext touches the disk. Refused before a byte is read if the file may not change.
   */
  async upload(
    actor: Person,
    paperId: string,
    file: { filename: string; contentType: string; body: ByteSource },
  ): Promise<Result<{ paper: Paper; file: PaperFile }, PapersError>> {
    const early = this.fileRefusal(actor, paperId)
    if (early) return refuse(early)
    const fileId = randomUUID()
    const dataKey = generateDataKey()
    const max = this.maxFileBytes
    let plaintextBytes = 0
    async function* counted(source: ByteSource): AsyncGenerator<Uint8Array> {
      for await (const chunk of source as AsyncIterable<Uint8Array>) {
        plaintextBytes += chunk.length
        if (plaintextBytes > max) throw new TooLarge()
        yield chunk
      }
    }
    let stored: { bytes: number; sha256: string }
    try {
      stored = await this.blobs.write(fileId, encryptStream(counted(file.body), dataKey, { fileId }))
    } catch (err) {
      dataKey.fill(0)
      if (err instanceof TooLarge) return refuse({ code: 'paper.file_too_large', maxBytes: max })
      throw err
    }
    // The paper public key once a ceremony has run (008); before it, a data folder's plain master key (003).
    const publicKey = this.paperKeys.publicKey()
    const legacy = this.keys.current
    let wrappedKey: Uint8Array
    try {
      if (publicKey) wrappedKey = await wrapKeyToPublic(dataKey, publicKey, { context: fileId })
      else if (legacy) wrappedKey = wrapKey(dataKey, legacy, { context: fileId })
      else {
        await this.blobs.remove(fileId)
        return refuse({ code: 'paper.no_paper_key' })
      }
    } finally {
      dataKey.fill(0)
    }
    const master = { id: publicKey?.id ?? legacy!.id }
    if (plaintextBytes === 0) {
      await this.blobs.remove(fileId)
      return refuse({ code: 'paper.file_empty' })
    }
    const committed = this.db
      .transaction((): Result<{ paper: Paper; file: PaperFile; replaced: string | null }, PapersError> => {
        const late = this.fileRefusal(actor, paperId) // things may have moved while the bytes streamed
        if (late) return refuse(late)
        const now = this.clock()
        const before = this.store.file(paperId)
        const row: PaperFile = {
          paperId,
          fileId,
          filename: file.filename,
          contentType: file.contentType,
          plaintextBytes,
          cipherBytes: stored.bytes,
          cipherSha256: stored.sha256,
          wrappedKey,
          masterKeyId: master.id,
          uploadedBy: actor.user,
          uploadedAt: now,
        }
        this.store.saveFile(row)
        const paper = { ...this.store.paper(paperId)!, updatedAt: now }
        this.store.updatePaper(paper)
        this.log.append({
          actor,
          action: 'custody.paper.uploaded',
          subject: { type: 'paper', id: paperId },
          data: {
            fileId,
            filename: file.filename,
            contentType: file.contentType,
            plaintextBytes,
            cipherBytes: stored.bytes,
            cipherSha256: stored.sha256,
            masterKeyId: master.id,
            replaces: before?.fileId ?? null,
            people: [actor.user],
          },
        })
        return ok({ paper, file: row, replaced: before?.fileId ?? null })
      })
      .immediate()
    if (!committed.ok) {
      await this.blobs.remove(fileId)
      return committed
    }
    // The replaced ciphertext's key is gone with its row: the blob is unreadable, so it goes too.
    if (committed.value.replaced) await this.blobs.remove(committed.value.replaced)
    return ok({ paper: committed.value.paper, file: committed.value.file })
  }

  // ---------- print jobs (R5.2 +) ----------

  /** The rooms to print for (the domain's printTargets): each room's seated candidates, or its capacity while nobody is seated yet. */
  targetsFor(paper: Paper, copies?: number): PrintTarget[] {
    const seated = this.rooms.seats(paper.examSessionId).map((s) => s.room_id)
    return printTargets(paper, this.rooms.sessionRooms(paper.examSessionId), seated, copies)
  }

  requestPrint(actor: Person, paperId: string, input: PrintRequestInput = {}): Result<PrintJob, PapersError> {
    return this.db
      .transaction((): Result<PrintJob, PapersError> => {
        const paper = this.store.paper(paperId)
        if (!paper) return refuse({ code: 'paper.not_found', id: paperId })
        const session = this.others.sessions.session(paper.examSessionId)
        if (!session) return refuse({ code: 'session.not_found', id: paper.examSessionId })
        const decided = requestPrint(
          paper,
          {
            id: randomUUID(),
            actor: domainActor(actor),
            targets: this.targetsFor(paper, input.copies),
            sparesPerRoom: input.sparesPerRoom ?? this.store.settings(session.batchId).sparesPerRoom,
            ...(input.perCopy ? { perCopy: input.perCopy } : {}),
          },
          { lastCopyNumber: lastCopyNumber(this.store.jobsOfPaper(paperId), this.others.packets.packetsOfPaper(paperId)) },
          this.clock(),
        )
        if (!decided.ok) return decided
        const file = this.store.file(paperId)
        if (!file) return refuse({ code: 'paper.no_file', paperId }) // nothing to print yet
        this.store.insertJob(decided.value.job)
        this.appendAll(actor, decided.value.events, { fileId: file.fileId })
        return ok(decided.value.job)
      })
      .immediate()
  }

  /**
   * One custodian's approval. Under the split key (008) the approval also unlocks the approver's key share with
   * their share passphrase; the share is held in memory for this job only, until it is decrypted or cancelled
   * or its window closes. A custodian without a share, or with the wrong passphrase, cannot approve.
   */
  async approve(actor: Person, jobId: string, passphrase?: string): Promise<Result<PrintJob, PapersError>> {
    const decide = (): Result<{ paper: Paper; job: PrintJob; events: CustodyEventDraft[] }, PapersError> => {
      const found = this.jobAndPaper(jobId)
      if (!found.ok) return found
      // Bound to the window as it is now: a later change of it lapses the approval (decision record 006).
      const decided = approvePrint(found.value.job, found.value.paper, domainActor(actor), this.windowFor(found.value.paper), this.clock())
      return decided.ok ? ok({ paper: found.value.paper, ...decided.value }) : decided
    }
    const pre = decide()
    if (!pre.ok) return pre
    const split = this.paperKeys.split
    if (split) {
      const unlocked = await this.paperKeys.unlockForJob(actor, jobId, passphrase, this.windowFor(pre.value.paper).closesAt)
      if (!unlocked.ok) return unlocked
    }
    const committed = this.db
      .transaction((): Result<PrintJob, PapersError> => {
        const decided = decide() // again: the job may have moved while the share was unlocked
        if (!decided.ok) return decided
        this.store.updateJob(decided.value.job)
        // The approval names the file it approves: a file cannot change under an open job (paper.file_locked).
        this.appendAll(actor, decided.value.events, {
          fileId: this.store.file(decided.value.paper.id)?.fileId ?? null,
          ...(split ? { shareUnlocked: true } : {}),
        })
        return ok(decided.value.job)
      })
      .immediate()
    if (!committed.ok && split) this.paperKeys.dropShare(jobId, actor.user)
    if (committed.ok && committed.value.approvals.length === 1) {
      // A first approval, or the first after the others lapsed (006): only this approver's share belongs to the job (008).
      for (const id of this.paperKeys.heldFor(jobId)) if (id !== actor.user) this.paperKeys.dropShare(jobId, id)
    }
    return committed
  }

  /**
   * A share holder unlocks their share again for an open job (after a restart, a lapsed window, or when k is
   * more than the two approvals): logged, held in memory like an approval's (008).
   */
  async holdShare(actor: Person, jobId: string, passphrase: string): Promise<Result<PrintJob, PapersError>> {
    const who = checkPaperRole('print.share', domainActor(actor))
    if (!who.ok) return who
    const found = this.jobAndPaper(jobId)
    if (!found.ok) return found
    const { job, paper } = found.value
    if (job.state !== 'requested' && job.state !== 'approved') return refuse({ code: 'print.wrong_state', jobId, state: job.state, action: 'share' })
    const active = checkPaperActive(paper)
    if (!active.ok) return active
    if (!this.paperKeys.split) return refuse({ code: 'keys.no_key' })
    const unlocked = await this.paperKeys.unlockForJob(actor, jobId, passphrase, this.windowFor(paper).closesAt)
    if (!unlocked.ok) return unlocked
    this.log.appendAlone({
      actor,
      action: 'custody.print.share_unlocked',
      subject: { type: 'print_job', id: jobId },
      data: { paperId: paper.id, holders: this.paperKeys.heldFor(jobId), people: [actor.user] },
    })
    return ok(job)
  }

  cancel(actor: Person, jobId: string, reason: string): Result<PrintJob, PapersError> {
    return this.db
      .transaction((): Result<PrintJob, PapersError> => {
        const job = this.store.job(jobId)
        if (!job) return refuse({ code: 'print_job.not_found', id: jobId })
        const decided = cancelPrint(job, domainActor(actor), reason, this.clock())
        if (!decided.ok) return decided
        this.store.updateJob(decided.value.job)
        this.appendAll(actor, decided.value.events)
        this.paperKeys.releaseJob(jobId) // its unlocked shares are wiped (008)
        return ok(decided.value.job)
      })
      .immediate()
  }

  /**
   * Releases the plaintext for printing (R5.2 +): two approvals, inside the window, paper not frozen. The
   * stored ciphertext is checked against its recorded SHA-256 and the data key unwrapped BEFORE the release
   * is recorded, so a swapped or damaged file never consumes the job; then the decision and its event commit,
   * and the plaintext streams out of memory, never through the disk.
   */
  async decrypt(actor: Person, jobId: string, passphrase?: string): Promise<Result<Decryption, PapersError>> {
    const pre = this.decideDecryptNow(actor, jobId)
    if (!pre.ok) return pre
    const file = pre.value
    let dataKey: Uint8Array
    let shareHolders: string[] = []
    try {
      if (wrappedKeyVersion(file.wrappedKey) === 2) {
        // The split key (008): k shares unlocked for this job rebuild the private key for this unwrap only.
        if (passphrase !== undefined && !this.paperKeys.heldFor(jobId).includes(actor.user)) {
          const window = this.windowFor(this.store.paper(file.paperId)!)
          const unlocked = await this.paperKeys.unlockForJob(actor, jobId, passphrase, window.closesAt)
          if (!unlocked.ok) return unlocked
        }
        shareHolders = this.paperKeys.heldFor(jobId)
        const opened = await this.paperKeys.withPrivateKey(jobId, (key) => unwrapKeyWithPrivate(file.wrappedKey, key, { context: file.fileId }))
        if (!opened.ok) return opened
        dataKey = opened.value
      } else {
        dataKey = unwrapKey(file.wrappedKey, this.keys.all(), { context: file.fileId })
      }
    } catch (err) {
      if (!(err instanceof PaperCryptoError)) throw err
      if (err.code === 'key.unknown_master') return refuse({ code: 'paper.key_unavailable', paperId: file.paperId, masterKeyId: file.masterKeyId })
      return this.damaged(actor, jobId, file, 'key', err.code)
    }
    const intact = (await this.blobs.exists(file.fileId)) ? await blobSha256(this.blobs, file.fileId) : null
    if (!intact || intact.sha256 !== file.cipherSha256 || intact.bytes !== file.cipherBytes) {
      dataKey.fill(0)
      return this.damaged(actor, jobId, file, intact ? 'checksum' : 'missing', null)
    }
    const committed = this.db
      .transaction((): Result<PrintJob, PapersError> => {
        // Decided again: the job or the paper may have moved while the ciphertext was checked.
        const found = this.jobAndPaper(jobId)
        if (!found.ok) return found
        const { job, paper } = found.value
        const decided = decideDecrypt(job, paper, domainActor(actor), this.windowFor(paper), this.clock())
        if (!decided.ok) return decided
        // An open job locks the file (paper.file_locked), so this is a broken invariant, not a refusal.
        if (this.store.file(paper.id)?.fileId !== file.fileId) throw new Error(`the file of paper ${paper.id} changed under print job ${jobId}`)
        this.store.updateJob(decided.value.job)
        this.appendAll(actor, decided.value.events, {
          fileId: file.fileId,
          cipherSha256: file.cipherSha256,
          plaintextBytes: file.plaintextBytes,
          ...(shareHolders.length ? { shareHolders } : {}),
        })
        return ok(decided.value.job)
      })
      .immediate()
    if (!committed.ok) {
      dataKey.fill(0)
      return committed
    }
    this.paperKeys.releaseJob(jobId) // released once: the shares are wiped (008)
    const plaintext = decryptStream(this.blobs.read(file.fileId), dataKey) // keeps its own copy of the key
    dataKey.fill(0)
    return ok({ job: committed.value, file, body: this.watched(plaintext, actor, committed.value, file) })
  }

  /** Records the print output (R5.2): the job's packets, one per room, with consecutive copy numbers. */
  printed(actor: Person, jobId: string, copies: number): Result<{ job: PrintJob; packets: Packet[] }, PapersError> {
    return this.db
      .transaction((): Result<{ job: PrintJob; packets: Packet[] }, PapersError> => {
        const found = this.jobAndPaper(jobId)
        if (!found.ok) return found
        const { job, paper } = found.value
        const plans = planPackets(job.targets, job.sparesPerRoom, { firstCopy: job.firstCopy, perCopy: job.perCopy })
        const decided = decidePrint(job, paper, { actor: domainActor(actor), packetIds: plans.map(() => randomUUID()) }, this.clock())
        if (!decided.ok) return decided
        // The count is checked after the decision: a stranger learns nothing of the plan from a refusal.
        const counted = checkCopiesPrinted(jobId, plans, copies)
        if (!counted.ok) return counted
        this.store.updateJob(decided.value.job)
        for (const p of decided.value.packets) this.others.packets.insertPacket(p)
        this.appendAll(actor, decided.value.events)
        return ok({ job: decided.value.job, packets: decided.value.packets })
      })
      .immediate()
  }

  // ---------- custody settings ----------

  setSettings(actor: Person, batchId: string, next: CustodySettings): Result<CustodySettings, PapersError> {
    const decided = decideSettings(domainActor(actor), next)
    if (!decided.ok) return decided
    const after = decided.value
    return this.db
      .transaction((): Result<CustodySettings, PapersError> => {
        if (!this.batchExists(batchId)) return refuse({ code: 'batch.not_found', id: batchId })
        const before = this.store.settings(batchId)
        this.store.saveSettings(batchId, after)
        const now = this.clock()
        this.log.append({
          actor,
          action: 'custody.settings.updated',
          subject: { type: 'batch', id: batchId },
          data: { before: { ...before }, after: { ...after }, people: [actor.user] },
        })
        // A moved window lapses the approvals given under the old one: two custodians approve again (006).
        for (const session of this.others.batches.sessionsOf(batchId)) {
          for (const paper of this.store.papersOfSession(session.id)) {
            for (const job of this.store.openJobsOfPaper(paper.id)) {
              const lapsed = lapseApprovals(job, printWindow(session.startsAt, after), actor.user, now)
              if (!lapsed) continue
              this.store.updateJob(lapsed.job)
              this.appendAll(actor, lapsed.events)
              this.paperKeys.releaseJob(job.id) // the shares came with the lapsed approvals (008)
            }
          }
        }
        return ok(after)
      })
      .immediate()
  }

  // ---------- master keys ----------

  /** How many files each held master key wraps (admin page). */
  masterKeys(): Array<{ id: string; current: boolean; files: number }> {
    const use = new Map(this.store.masterKeyUse().map((u) => [u.masterKeyId, u.files]))
    return this.keys.ids().map((id) => ({ id, current: id === this.keys.current?.id, files: use.get(id) ?? 0 }))
  }

  /**
   * Rotates the master key without touching any ciphertext (003): a new key is kept first, every data key
   * is re-wrapped under it in one transaction with its event, then old keys that wrap nothing are deleted.
   * A wrapped key that does not unwrap is left as it is and named; its master key is kept.
   */
  rotateMasterKey(actor: Person): Result<RotationSummary, PapersError> {
    // A plain master key is only ever rotated in a data folder that has one and no split key yet: a new
    // plain key would undo the split (008). Converting it is the key ceremony's job.
    if (this.keys.current === null || this.paperKeys.split) return refuse({ code: 'master_key.not_plain' })
    const previous = this.keys.ids()
    const ring = [...this.keys.all()]
    const next = newMasterKey(this.clock())
    this.keys.add(next)
    const summary = this.db
      .transaction((): RotationSummary => {
        let rewrapped = 0
        const failed: RotationSummary['failed'] = []
        for (const f of this.store.files()) {
          try {
            this.store.rewrap(f.paperId, rewrapKey(f.wrappedKey, ring, next, { context: f.fileId }), next.id)
            rewrapped++
          } catch (err) {
            if (!(err instanceof PaperCryptoError)) throw err
            failed.push({ paperId: f.paperId, code: err.code })
          }
        }
        this.log.append({
          actor,
          action: 'custody.paper.master_key_rotated',
          subject: { type: 'master_key', id: next.id },
          data: { from: previous, to: next.id, rewrapped, failed: failed.map((x) => ({ paperId: x.paperId, code: x.code })), people: [actor.user] },
        })
        return { keyId: next.id, previous, rewrapped, failed, retired: [] }
      })
      .immediate()
    const inUse = new Set(this.store.masterKeyUse().map((u) => u.masterKeyId))
    for (const id of previous) {
      if (inUse.has(id)) continue
      this.keys.retire(id)
      summary.retired.push(id)
    }
    return ok(summary)
  }

  // ---------- helpers ----------

  private jobAndPaper(jobId: string): Result<{ job: PrintJob; paper: Paper }, PapersError> {
    const job = this.store.job(jobId)
    if (!job) return refuse({ code: 'print_job.not_found', id: jobId })
    const paper = this.store.paper(job.paperId)
    if (!paper) return refuse({ code: 'paper.not_found', id: job.paperId })
    return ok({ job, paper })
  }

  private windowFor(paper: Paper): PrintWindow {
    const session = this.others.sessions.session(paper.examSessionId)
    if (!session) throw new Error(`paper ${paper.id} names a session that does not exist`)
    return this.windowOf(session)
  }

  /** The domain's answer to "may this person decrypt this job now", and the file it would release. */
  private decideDecryptNow(actor: Person, jobId: string): Result<PaperFile, PapersError> {
    const found = this.jobAndPaper(jobId)
    if (!found.ok) return found
    const { job, paper } = found.value
    const decided = decideDecrypt(job, paper, domainActor(actor), this.windowFor(paper), this.clock())
    if (!decided.ok) return decided
    const file = this.store.file(paper.id)
    if (!file) return refuse({ code: 'paper.no_file', paperId: paper.id })
    return ok(file)
  }

  private appendAll(actor: Person, drafts: readonly CustodyEventDraft[], extra: Record<string, Canonical> = {}): void {
    for (const d of drafts) {
      this.log.append({
        actor,
        action: d.action,
        subject: d.subject,
        where: d.where ? { room: d.where.room } : null,
        data: { ...(d.data as Record<string, Canonical>), ...(d.subject.type === 'print_job' ? extra : {}) },
      })
    }
  }

  /** An alert event and its row for supervisors (R5.4), in a transaction of its own. */
  private alert(actor: Person, kind: string, subject: { type: string; id: string }, data: Record<string, Canonical>): void {
    this.db
      .transaction(() => {
        const event = this.log.append({ actor, action: `${ALERT_PREFIX}${kind}`, subject, data: { ...data, people: [actor.user] } })
        this.others.alerts.insertAlert({
          id: randomUUID(),
          kind,
          logIndex: event.index,
          subjectType: subject.type,
          subjectId: subject.id,
          createdAt: this.clock(),
        })
      })
      .immediate()
  }

  private damaged(actor: Person, jobId: string, file: PaperFile, reason: 'missing' | 'checksum' | 'key', code: string | null): Result<never, PapersError> {
    this.alert(actor, 'paper_file_damaged', { type: 'paper', id: file.paperId }, { printJobId: jobId, fileId: file.fileId, reason, code })
    return refuse({ code: 'paper.file_damaged', paperId: file.paperId, reason })
  }

  /** Passes the plaintext through; a ciphertext that fails authentication mid-way is an alert, then an error. */
  private async *watched(plaintext: AsyncIterable<Uint8Array>, actor: Person, job: PrintJob, file: PaperFile): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of plaintext) yield chunk
    } catch (err) {
      const code = err instanceof PaperCryptoError ? err.code : 'io'
      if (!this.log.damaged)
        this.alert(actor, 'paper_file_damaged', { type: 'paper', id: file.paperId }, { printJobId: job.id, fileId: file.fileId, reason: 'stream', code })
      throw err
    }
  }
}

class TooLarge extends Error {}

/** The settings' own bounds (the domain's checkCustodySettings), as the refusal or null. */
export function checkSettings(s: CustodySettings): Extract<PapersError, { code: 'settings.invalid' }> | null {
  const checked = checkCustodySettings(s)
  return checked.ok ? null : checked.error
}
