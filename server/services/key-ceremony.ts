import type { Database } from 'bun:sqlite'
import { randomBytes, randomUUID } from 'node:crypto'
import {
  type MasterKey,
  type PaperPublicKey,
  type ScryptCost,
  SHARE_SCRYPT,
  combineShares,
  equalBytes,
  hpkeFingerprint,
  hpkeKeyId,
  hpkeKeyPairFromSeed,
  openShare,
  passphraseKeyPair,
  rewrapToPublic,
  sealShare,
  splitSecret,
  wrappedKeyVersion,
} from '../../crypto/index.ts'
import type { User } from '../domain/accounts/index.ts'
import { type Result, ok, refuse } from '../domain/_result.ts'
import {
  type Ceremony,
  type CeremonyRegistration,
  type HeldShare,
  type KeyPerson,
  type KeyRefusal,
  type PaperKeyRecord,
  MAX_PASSPHRASE_FAILURES,
  PASSPHRASE_WINDOW_MS,
  ceremonyReady,
  checkCeremonyStart,
  checkPassphrase,
  checkShareHolder,
} from '../domain/keys/index.ts'
import type { KeyShareStore } from '../db/key-share-store.ts'
import type { PaperStore } from '../db/paper-store.ts'
import { verifyPassword } from '../auth/_password.ts'
import { BUSY, HashGate } from '../auth/_hash-gate.ts'
import type { CustodyLog } from './custody-log.ts'
import type { Person } from './_acting.ts'

/** The plain master keys of a data folder made before the split key (003); a ceremony converts and deletes them. */
export interface LegacyMasterKeys {
  all(): readonly MasterKey[]
  ids(): string[]
  retireAll(): string[]
}

export interface KeyUsers {
  byId(id: string): User | null
  passwordHash(id: string): string | null
}

export interface CeremonyView {
  ceremony: Ceremony
  registered: string[]
  unlocked: string[]
}

export interface PaperKeyState {
  key: (PaperKeyRecord & { fingerprint: string; holders: string[] }) | null
  legacyMasterKeys: string[]
  ceremony: CeremonyView | null
}

const toPerson = (u: User | null): KeyPerson | null => (u ? { id: u.id, roles: u.roles, disabled: u.disabled } : null)
const wipe = (...bufs: Array<Uint8Array | null | undefined>) => {
  for (const b of bufs) b?.fill(0)
}
const shareContext = (keyId: string, userId: string) => `${keyId}/${userId}`

/** Shares unlocked for one print job, in memory only, until the job is decrypted or cancelled or its window closes. */
interface JobShares {
  expiresAt: number
  shares: Map<string, Uint8Array>
}

/**
 * The split paper key (docs/decisions/008-split-master-key.md): the ceremonies that deal it, the shares a print
 * job gathers, and the private key rebuilt for one print job only. No secret of it is ever on disk in the clear.
 */
export class KeyCeremonies {
  /** Shares unlocked by current holders for an open re-deal, by user id. */
  private readonly redealShares = new Map<string, Uint8Array>()
  private readonly jobs = new Map<string, JobShares>()
  private completing: Promise<unknown> | null = null
  /** Wrong share passphrases per holder: an online guesser gets MAX_PASSPHRASE_FAILURES tries per window. */
  private readonly failures = new Map<string, number[]>()

  constructor(
    private readonly db: Database,
    readonly store: KeyShareStore,
    private readonly papers: PaperStore,
    private readonly users: KeyUsers,
    private readonly log: CustodyLog,
    private readonly clock: () => number,
    private readonly legacy: LegacyMasterKeys,
    private readonly cost: ScryptCost = SHARE_SCRYPT,
    /** scrypt runs under the logins' gate (decision 005): a flood of passphrase guesses cannot exhaust memory. */
    private readonly gate: HashGate = new HashGate(),
  ) {}

  /** One scrypt-bound step through the gate; BUSY when its queue is full. */
  private hashed<T>(work: () => Promise<T>): Promise<T | typeof BUSY> {
    return this.gate.run(work)
  }

  // ---------- reading ----------

  /** The key uploads are wrapped to, or null before the first ceremony. */
  publicKey(): PaperPublicKey | null {
    const k = this.store.currentKey()
    return k ? { id: k.id, publicKey: k.publicKey } : null
  }

  state(): PaperKeyState {
    const k = this.store.currentKey()
    const open = this.store.openCeremony()
    return {
      key: k ? { ...k, fingerprint: hpkeFingerprint(k.publicKey), holders: this.store.shares(k.id).map((s) => s.userId) } : null,
      legacyMasterKeys: this.legacy.ids(),
      ceremony: open ? { ceremony: open, registered: this.store.registrations(open.id).map((r) => r.userId), unlocked: [...this.redealShares.keys()] } : null,
    }
  }

  // ---------- the ceremony ----------

  /** An administrator names the holders and k; an initial ceremony makes the key, a later one re-deals it. */
  start(actor: Person, cmd: { holders: string[]; threshold: number }): Result<Ceremony, KeyRefusal> {
    return this.db
      .transaction((): Result<Ceremony, KeyRefusal> => {
        const people = new Map<string, KeyPerson>()
        for (const id of cmd.holders) {
          const p = toPerson(this.users.byId(id))
          if (p) people.set(id, p)
        }
        const me = toPerson(this.users.byId(actor.user)) ?? { id: actor.user, roles: [], disabled: true }
        const checked = checkCeremonyStart({ ...me, roles: actor.roles as KeyPerson['roles'] }, cmd, people, { open: this.store.openCeremony() })
        if (!checked.ok) return checked
        const key = this.store.currentKey()
        const c: Ceremony = {
          id: randomUUID(),
          kind: key ? 'redeal' : 'initial',
          state: 'open',
          threshold: cmd.threshold,
          holders: [...cmd.holders],
          keyId: key?.id ?? null,
          startedBy: actor.user,
          startedAt: this.clock(),
          endedAt: null,
        }
        this.store.insertCeremony(c)
        this.log.append({
          actor,
          action: 'keys.ceremony.started',
          subject: { type: 'key_ceremony', id: c.id },
          data: { kind: c.kind, threshold: c.threshold, holders: [...c.holders], keyId: c.keyId, people: [actor.user, ...c.holders] },
        })
        this.redealShares.clear()
        return ok(c)
      })
      .immediate()
  }

  cancel(actor: Person): Result<Ceremony, KeyRefusal> {
    if (!actor.roles.includes('admin'))
      return refuse({ code: 'keys.not_allowed_for_role', action: 'keys.ceremony.cancel', userId: actor.user, allowed: ['admin'] })
    return this.db
      .transaction((): Result<Ceremony, KeyRefusal> => {
        const open = this.store.openCeremony()
        if (!open) return refuse({ code: 'keys.no_ceremony' })
        const now = this.clock()
        this.store.endCeremony(open.id, 'cancelled', open.keyId, now)
        this.log.append({ actor, action: 'keys.ceremony.cancelled', subject: { type: 'key_ceremony', id: open.id }, data: { people: [actor.user] } })
        this.clearRedeal()
        return ok({ ...open, state: 'cancelled', endedAt: now })
      })
      .immediate()
  }

  /**
   * A named holder registers their share passphrase with their own login: only the passphrase's public key
   * and salt are kept. When the last holder registers (and, for a re-deal, k current holders unlocked), the
   * shares are dealt at once.
   */
  async register(actor: Person, passphrase: string): Promise<Result<CeremonyView, KeyRefusal>> {
    const open = this.store.openCeremony()
    if (!open) return refuse({ code: 'keys.no_ceremony' })
    if (!open.holders.includes(actor.user)) return refuse({ code: 'keys.not_named', ceremonyId: open.id, userId: actor.user })
    if (this.store.registrations(open.id).some((r) => r.userId === actor.user))
      return refuse({ code: 'keys.already_registered', ceremonyId: open.id, userId: actor.user })
    const checked = checkPassphrase(passphrase)
    if (!checked.ok) return checked
    // The passphrase is not the login password: a password an administrator set or reset must never open a share.
    const hash = this.users.passwordHash(actor.user)
    const same = hash ? await this.hashed(() => verifyPassword(passphrase, hash)) : false
    if (same === BUSY) return refuse({ code: 'key_share.busy', retryAfterSeconds: 1 })
    if (same) return refuse({ code: 'key_share.same_as_password' })
    const salt = new Uint8Array(randomBytes(16))
    const kp = await this.hashed(() => passphraseKeyPair(passphrase, salt, this.cost))
    if (kp === BUSY) return refuse({ code: 'key_share.busy', retryAfterSeconds: 1 })
    wipe(kp.privateKey)
    const done = this.db
      .transaction((): Result<null, KeyRefusal> => {
        const still = this.store.openCeremony()
        if (!still || still.id !== open.id) return refuse({ code: 'keys.no_ceremony' })
        if (this.store.registrations(open.id).some((r) => r.userId === actor.user))
          return refuse({ code: 'keys.already_registered', ceremonyId: open.id, userId: actor.user })
        const reg: CeremonyRegistration = { ceremonyId: open.id, userId: actor.user, salt, kdf: this.cost, holderKey: kp.publicKey, registeredAt: this.clock() }
        this.store.insertRegistration(reg)
        this.log.append({
          actor,
          action: 'keys.ceremony.holder_registered',
          subject: { type: 'key_ceremony', id: open.id },
          data: { holder: actor.user, people: [actor.user] },
        })
        return ok(null)
      })
      .immediate()
    if (!done.ok) return done
    await this.completeIfReady(actor)
    return ok(this.view(open.id))
  }

  /** A re-deal: a current holder unlocks their share for it (held in memory until the ceremony ends). */
  async contribute(actor: Person, passphrase: string): Promise<Result<CeremonyView, KeyRefusal>> {
    const open = this.store.openCeremony()
    if (!open || open.kind !== 'redeal') return refuse({ code: 'keys.no_ceremony' })
    if (this.redealShares.has(actor.user)) return refuse({ code: 'keys.already_unlocked', ceremonyId: open.id, userId: actor.user })
    const share = await this.unlock(actor.user, passphrase)
    if (!share.ok) return share
    if (this.store.openCeremony()?.id !== open.id) {
      wipe(share.value)
      return refuse({ code: 'keys.no_ceremony' })
    }
    this.redealShares.set(actor.user, share.value)
    this.log.appendAlone({
      actor,
      action: 'keys.ceremony.share_unlocked',
      subject: { type: 'key_ceremony', id: open.id },
      data: { holder: actor.user, people: [actor.user] },
    })
    await this.completeIfReady(actor)
    return ok(this.view(open.id))
  }

  private view(ceremonyId: string): CeremonyView {
    const c = this.store.ceremony(ceremonyId)!
    return { ceremony: c, registered: this.store.registrations(c.id).map((r) => r.userId), unlocked: c.state === 'open' ? [...this.redealShares.keys()] : [] }
  }

  private clearRedeal(): void {
    for (const s of this.redealShares.values()) wipe(s)
    this.redealShares.clear()
  }

  private async completeIfReady(actor: Person): Promise<void> {
    while (this.completing) await this.completing.catch(() => {})
    const open = this.store.openCeremony()
    if (!open) return
    const regs = this.store.registrations(open.id)
    const key = this.store.currentKey()
    if (
      !ceremonyReady(
        open,
        regs.map((r) => r.userId),
        this.redealShares.size,
        key?.threshold ?? null,
      )
    )
      return
    this.completing = this.deal(actor, open, regs, key)
    try {
      await this.completing
    } finally {
      this.completing = null
    }
  }

  /**
   * Deals the shares. Initial: a fresh seed makes the key pair (RFC 9180 DeriveKeyPair), every plain-master
   * data key is re-wrapped to the public key, the plain master key files are deleted. Re-deal: the seed is
   * rebuilt from k unlocked shares and checked against the public key; papers are not touched. Either way the
   * seed and the shares exist only in this call's memory and are wiped before it returns.
   */
  private async deal(actor: Person, c: Ceremony, regs: CeremonyRegistration[], key: PaperKeyRecord | null): Promise<void> {
    let seed: Uint8Array | null = null
    let privateKey: Uint8Array | null = null
    let shares: Uint8Array[] = []
    try {
      if (c.kind === 'initial') {
        seed = new Uint8Array(randomBytes(32))
      } else {
        if (!key) throw new Error('a re-deal without a key')
        seed = await combineShares([...this.redealShares.values()].slice(0, key.threshold))
      }
      const kp = await hpkeKeyPairFromSeed(seed)
      privateKey = kp.privateKey
      if (key && !equalBytes(kp.publicKey, key.publicKey)) throw new Error('the unlocked shares do not rebuild the paper key')
      const keyId = key?.id ?? hpkeKeyId(kp.publicKey)
      shares = await splitSecret(seed, c.holders.length, c.threshold)
      const now = this.clock()
      const dealt: HeldShare[] = []
      for (const [i, holder] of c.holders.entries()) {
        const reg = regs.find((r) => r.userId === holder)!
        dealt.push({
          keyId,
          userId: holder,
          ceremonyId: c.id,
          salt: reg.salt,
          kdf: reg.kdf,
          holderKey: reg.holderKey,
          sealedShare: await sealShare(shares[i]!, reg.holderKey, shareContext(keyId, holder)),
          createdAt: now,
        })
      }
      const publicKey: PaperPublicKey = { id: keyId, publicKey: kp.publicKey }
      const converted = c.kind === 'initial' ? await this.convertLegacy(publicKey) : []
      this.db
        .transaction(() => {
          if (this.store.openCeremony()?.id !== c.id) throw new Error(`key ceremony ${c.id} ended while dealing`)
          if (c.kind === 'initial') this.store.insertKey({ id: keyId, publicKey: kp.publicKey, threshold: c.threshold, createdAt: now })
          else this.store.setThreshold(keyId, c.threshold)
          this.store.replaceShares(keyId, dealt)
          for (const f of converted) this.papers.rewrap(f.paperId, f.wrapped, keyId)
          this.store.endCeremony(c.id, 'completed', keyId, now)
          this.log.append({
            actor,
            action: 'keys.ceremony.completed',
            subject: { type: 'key_ceremony', id: c.id },
            data: {
              kind: c.kind,
              keyId,
              publicKey: Buffer.from(kp.publicKey).toString('hex'),
              threshold: c.threshold,
              holders: [...c.holders],
              rewrapped: converted.length,
              people: [...c.holders],
            },
          })
        })
        .immediate()
      if (c.kind === 'initial') await this.retireLegacy(actor, publicKey)
    } finally {
      wipe(seed, privateKey, ...shares)
      this.clearRedeal()
    }
  }

  private async convertLegacy(key: PaperPublicKey): Promise<Array<{ paperId: string; wrapped: Uint8Array }>> {
    const out: Array<{ paperId: string; wrapped: Uint8Array }> = []
    for (const f of this.papers.files()) {
      if (wrappedKeyVersion(f.wrappedKey) !== 1) continue
      out.push({ paperId: f.paperId, wrapped: await rewrapToPublic(f.wrappedKey, this.legacy.all(), key, { context: f.fileId }) })
    }
    return out
  }

  /** After the conversion commits: a file that arrived under the plain key meanwhile is converted too, then the plain keys go. */
  private async retireLegacy(actor: Person, key: PaperPublicKey): Promise<void> {
    if (this.legacy.ids().length === 0) return
    const late = await this.convertLegacy(key)
    // Each re-wrapped row commits with its event; the key files go only after that.
    this.db
      .transaction(() => {
        for (const f of late) this.papers.rewrap(f.paperId, f.wrapped, key.id)
        if (late.length > 0) {
          this.log.append({
            actor,
            action: 'keys.paper_key.late_files_rewrapped',
            subject: { type: 'paper_key', id: key.id },
            data: { papers: late.map((f) => f.paperId), people: [actor.user] },
          })
        }
      })
      .immediate()
    const retired = this.legacy.retireAll()
    this.log.appendAlone({
      actor,
      action: 'keys.master_key.deleted',
      subject: { type: 'paper_key', id: key.id },
      data: { retired, rewrapped: late.length, people: [actor.user] },
    })
  }

  // ---------- shares for printing (R5.2 +) ----------

  /** Opens one holder's share with their passphrase: an active custodian's, the right passphrase. */
  private async unlock(userId: string, passphrase: string | undefined): Promise<Result<Uint8Array, KeyRefusal>> {
    const key = this.store.currentKey()
    if (!key) return refuse({ code: 'keys.no_key' })
    if (passphrase === undefined || passphrase === '') return refuse({ code: 'key_share.passphrase_required' })
    const held = checkShareHolder(toPerson(this.users.byId(userId)), userId, this.store.shares(key.id))
    if (!held.ok) return held
    const now = this.clock()
    const recent = (this.failures.get(userId) ?? []).filter((t) => now - t < PASSPHRASE_WINDOW_MS)
    if (recent.length >= MAX_PASSPHRASE_FAILURES) {
      return refuse({ code: 'key_share.locked', userId, retryAfterSeconds: Math.ceil((recent[0]! + PASSPHRASE_WINDOW_MS - now) / 1000) })
    }
    // Counted before hashing, as logins are (decision 005): parallel guesses cannot all pass the check above.
    this.failures.set(userId, [...recent, now])
    const untried = () => {
      const list = this.failures.get(userId) ?? []
      const i = list.lastIndexOf(now)
      if (i >= 0) list.splice(i, 1)
    }
    const wrong = (): Result<never, KeyRefusal> => refuse({ code: 'key_share.wrong_passphrase', userId })
    const s = held.value
    const kp = await this.hashed(() => passphraseKeyPair(passphrase, s.salt, s.kdf))
    if (kp === BUSY) {
      untried()
      return refuse({ code: 'key_share.busy', retryAfterSeconds: 1 })
    }
    try {
      if (!equalBytes(kp.publicKey, s.holderKey)) return wrong()
      const share = await openShare(s.sealedShare, kp.privateKey, shareContext(key.id, userId))
      if (!share) return wrong()
      this.failures.delete(userId)
      return ok(share)
    } finally {
      wipe(kp.privateKey)
    }
  }

  /** Whether papers are under the split key (then every approval carries a share). */
  get split(): boolean {
    return this.store.currentKey() !== null
  }

  /** A holder unlocks their share for a print job; it stays in memory until the job ends or `expiresAt`. */
  async unlockForJob(actor: Person, jobId: string, passphrase: string | undefined, expiresAt: number): Promise<Result<null, KeyRefusal>> {
    const share = await this.unlock(actor.user, passphrase)
    if (!share.ok) return share
    const entry = this.jobs.get(jobId) ?? { expiresAt, shares: new Map<string, Uint8Array>() }
    wipe(entry.shares.get(actor.user))
    entry.shares.set(actor.user, share.value)
    entry.expiresAt = Math.min(entry.expiresAt, expiresAt)
    this.jobs.set(jobId, entry)
    return ok(null)
  }

  /** Who has a share unlocked for the job now (after sweeping expired ones). */
  heldFor(jobId: string): string[] {
    this.sweep()
    return [...(this.jobs.get(jobId)?.shares.keys() ?? [])]
  }

  /**
   * Rebuilds the private key from the job's shares for `use` only, then wipes seed and key. Shares of holders
   * who are no longer active custodians are dropped first; fewer than k is a refusal.
   */
  async withPrivateKey<T>(jobId: string, use: (key: { id: string; privateKey: Uint8Array }) => Promise<T>): Promise<Result<T, KeyRefusal>> {
    const key = this.store.currentKey()
    if (!key) return refuse({ code: 'keys.no_key' })
    this.sweep()
    const entry = this.jobs.get(jobId)
    const holders = this.store.shares(key.id)
    const usable: Uint8Array[] = []
    for (const [userId, share] of entry?.shares ?? []) {
      if (checkShareHolder(toPerson(this.users.byId(userId)), userId, holders).ok) usable.push(share)
      else {
        wipe(share)
        entry!.shares.delete(userId)
      }
    }
    if (usable.length < key.threshold) return refuse({ code: 'key_share.too_few', have: usable.length, need: key.threshold })
    const seed = await combineShares(usable.slice(0, key.threshold))
    let privateKey: Uint8Array | null = null
    try {
      const kp = await hpkeKeyPairFromSeed(seed)
      privateKey = kp.privateKey
      if (!equalBytes(kp.publicKey, key.publicKey)) throw new Error('the shares held for the job do not rebuild the paper key')
      return ok(await use({ id: key.id, privateKey }))
    } finally {
      wipe(seed, privateKey)
    }
  }

  /** One holder's share of a job is wiped (their approval did not commit). */
  dropShare(jobId: string, userId: string): void {
    const entry = this.jobs.get(jobId)
    if (!entry) return
    wipe(entry.shares.get(userId))
    entry.shares.delete(userId)
  }

  /** The job ended (decrypted, cancelled): its shares are wiped. */
  releaseJob(jobId: string): void {
    const entry = this.jobs.get(jobId)
    if (!entry) return
    for (const s of entry.shares.values()) wipe(s)
    this.jobs.delete(jobId)
  }

  /** Wipes the shares of jobs whose window has closed. */
  sweep(now = this.clock()): void {
    for (const [jobId, entry] of this.jobs) if (now >= entry.expiresAt) this.releaseJob(jobId)
  }
}
