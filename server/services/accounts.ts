import type { Database } from 'bun:sqlite'
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import {
  type AccountError,
  type NewUser,
  type Role,
  type RoleChange,
  type User,
  type UserChange,
  checkPassword,
  decideCreateUser,
  decideProposeRoleChange,
  decideResetPassword,
  decideRoleChange,
  decideUpdateUser,
  grantsTwoPersonRole,
} from '../domain/accounts/index.ts'
import { type Result, ok, refuse } from '../domain/_result.ts'
import { type ScryptParams, DEFAULT_SCRYPT, hashPassword, verifyPassword } from '../auth/_password.ts'
import { type HashGateOptions, BUSY, DEFAULT_HASH_GATE, HashGate } from '../auth/_hash-gate.ts'
import { type Attempt, LoginThrottle } from '../auth/_rate-limit.ts'
import type { UserStore } from '../db/user-store.ts'
import { type SecurityEvent, SecurityStore } from '../db/security-store.ts'
import { LeakStore } from '../db/leak-store.ts'
import type { Actor, CustodyLog } from './custody-log.ts'
import type { Person } from './_acting.ts'

/** Who is making a request: the logged-in user and the roles they hold. */
export interface Principal {
  userId: string
  username: string
  displayName: string
  roles: Role[]
  sessionHash: string
  /** Until they choose their own password, this user may only change it, read the session or log out. */
  mustChangePassword: boolean
}

export type LoginError =
  | { code: 'auth.invalid_credentials' }
  | { code: 'auth.rate_limited'; retryAfterSeconds: number }
  | { code: 'auth.busy'; retryAfterSeconds: number }
  | { code: 'auth.account_disabled' }

/** Why a second person's credentials were not accepted (a witness or second opener). */
export type WitnessError =
  | { code: 'witness.invalid_credentials' }
  | { code: 'auth.rate_limited'; retryAfterSeconds: number }
  | { code: 'auth.busy'; retryAfterSeconds: number }

/** A user's own password change. */
export type PasswordChangeError = AccountError | Extract<LoginError, { code: 'auth.rate_limited' | 'auth.busy' }>

export const SESSION_HOURS = 12
/** How long a caller told "busy" should wait before trying again. */
const BUSY_RETRY_SECONDS = 1

/** How password hashes are computed; tests pass a counting wrapper to measure concurrency. */
export interface PasswordWork {
  hash(password: string, params: ScryptParams): Promise<string>
  verify(password: string, stored: string): Promise<boolean>
}
export const SCRYPT_WORK: PasswordWork = { hash: hashPassword, verify: verifyPassword }

export interface AccountsOptions {
  hashGate?: HashGateOptions
  work?: PasswordWork
}

/** A pending role change with the names a person reads. */
export interface RoleChangeView extends RoleChange {
  username: string
  displayName: string
  proposedByName: string
}

export const actorOf = (p: Pick<Principal, 'userId' | 'username' | 'roles'>, roles: readonly Role[] = p.roles): Actor => ({
  user: p.userId,
  name: p.username,
  roles: [...roles],
})

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex')
const isPerson = (a: Actor): a is Person => 'user' in a

/** Accounts and sessions: each change commits with its custody event. */
export class Accounts {
  private readonly throttle = new LoginThrottle()
  /** Every password check of a request (login, own change, witness) waits here (decision 005). */
  readonly hashGate: HashGate
  private readonly work: PasswordWork
  private readonly security: SecurityStore
  /** The supervisors' alert list (custody_alerts) also carries role-change proposals (decision 005); it is the leak store's. */
  private readonly alerts: Pick<LeakStore, 'insertAlert'>
  private dummyHash: Promise<string> | null = null

  constructor(
    private readonly db: Database,
    private readonly users: UserStore,
    private readonly log: CustodyLog,
    private readonly clock: () => number,
    private readonly scrypt: ScryptParams = DEFAULT_SCRYPT,
    opts: AccountsOptions = {},
  ) {
    this.hashGate = new HashGate(opts.hashGate ?? DEFAULT_HASH_GATE)
    this.work = opts.work ?? SCRYPT_WORK
    this.security = new SecurityStore(db)
    this.alerts = new LeakStore(db)
  }

  list(): User[] {
    return this.users.all()
  }
  get(id: string): User | null {
    return this.users.byId(id)
  }

  /**
   * Creates an account. A password chosen by a person (an administrator) is one-time: the user replaces it
   * at first login. A person asking for custodian or supervisor gets a pending role change for them
   * (a second person confirms). `demo` is set only by the demo loader: its accounts may use the demo password.
   */
  async create(actor: Actor, cmd: NewUser, opts: { demo?: boolean; oneTimePassword?: boolean } = {}): Promise<Result<User, AccountError>> {
    const weak = checkPassword(cmd.password, [cmd.username, cmd.displayName], { demo: opts.demo })
    if (weak) return refuse(weak)
    const hash = await this.work.hash(cmd.password, this.scrypt) // outside the transaction: it is slow on purpose
    const byPerson = isPerson(actor)
    return this.db
      .transaction((): Result<User, AccountError> => {
        const now = this.clock()
        const decided = decideCreateUser(cmd, { usernameTaken: this.users.byUsername(cmd.username) !== null }, randomUUID(), now, {
          byPerson,
          oneTimePassword: opts.oneTimePassword ?? byPerson,
        })
        if (!decided.ok) return decided
        const { user, pending } = decided.value
        this.users.insert(user, hash)
        this.log.append({
          actor,
          action: 'user.created',
          subject: { type: 'user', id: user.id },
          data: { username: user.username, roles: user.roles, oneTimePassword: user.mustChangePassword },
        })
        if (pending && byPerson) {
          const change: RoleChange = {
            id: randomUUID(),
            userId: user.id,
            fromRoles: user.roles,
            toRoles: pending,
            proposedBy: actor.user,
            proposedAt: now,
            state: 'pending',
            decidedBy: null,
            decidedAt: null,
          }
          this.appendProposal(actor, user, change)
        }
        return ok(user)
      })
      .immediate()
  }

  update(actor: Person, id: string, change: UserChange): Result<User, AccountError> {
    return this.db
      .transaction((): Result<User, AccountError> => {
        const user = this.users.byId(id)
        if (!user) return refuse({ code: 'user.not_found', id })
        const decided = decideUpdateUser(user, change, { actorId: actor.user, activeAdmins: this.users.activeAdmins() }, this.clock())
        if (!decided.ok) return decided
        const next = decided.value
        this.users.update(next)
        // A disabled user's sessions end at once.
        if (next.disabled && !user.disabled) this.users.deleteUserSessions(id)
        this.log.append({
          actor,
          action: next.disabled !== user.disabled ? (next.disabled ? 'user.disabled' : 'user.enabled') : 'user.updated',
          subject: { type: 'user', id },
          data: { username: next.username, roles: next.roles, ...(change.displayName !== undefined ? { displayNameChanged: true } : {}) },
        })
        return ok(next)
      })
      .immediate()
  }

  // ---------- two-person role changes (R5.2, decision 005) ----------

  /** An administrator proposes a new role set for someone else; supervisors are alerted. */
  proposeRoleChange(actor: Person, id: string, roles: string[]): Result<RoleChange, AccountError> {
    return this.db
      .transaction((): Result<RoleChange, AccountError> => {
        const user = this.users.byId(id)
        if (!user) return refuse({ code: 'user.not_found', id })
        const decided = decideProposeRoleChange(
          user,
          roles,
          { actorId: actor.user, pendingId: this.users.pendingRoleChange(id)?.id ?? null },
          randomUUID(),
          this.clock(),
        )
        if (!decided.ok) return decided
        this.appendProposal(actor, user, decided.value)
        return decided
      })
      .immediate()
  }

  /**
   * A second person (administrator or supervisor, not the proposer, not the holder) confirms or rejects. A
   * confirmation that grants admin, custodian or supervisor needs the holder present: `holder` is the password
   * they type in front of the second person, one they chose themself (checked like a login, decision 005).
   */
  async decideRoleChange(
    actor: Person,
    changeId: string,
    verdict: 'confirm' | 'reject',
    holder?: { password: string; address: string },
  ): Promise<Result<{ change: RoleChange; user: User }, AccountError | LoginError>> {
    let holderPresent = false
    const pending = this.users.roleChange(changeId)
    if (verdict === 'confirm' && holder && pending && pending.state === 'pending' && grantsTwoPersonRole(pending) && actor.user !== pending.userId) {
      const target = this.users.byId(pending.userId)
      const checked = target ? await this.checkPassword(target.username, holder.password, holder.address, 'role_change_holder') : null
      if (checked && !checked.ok) {
        const e = checked.error
        return e.code === 'auth.rate_limited' || e.code === 'auth.busy' ? refuse(e) : refuse({ code: 'role_change.holder_check_failed' })
      }
      if (checked?.value.mustChangePassword) return refuse({ code: 'role_change.holder_password_not_own' })
      holderPresent = checked !== null
    }
    return this.db
      .transaction((): Result<{ change: RoleChange; user: User }, AccountError> => {
        const change = this.users.roleChange(changeId)
        if (!change) return refuse({ code: 'role_change.not_found', id: changeId })
        const user = this.users.byId(change.userId)
        if (!user) return refuse({ code: 'user.not_found', id: change.userId })
        // the holder's password was checked before this transaction: it must still be the one they chose
        if (holderPresent && user.mustChangePassword) return refuse({ code: 'role_change.holder_password_not_own' })
        const decided = decideRoleChange(change, user, verdict, { deciderId: actor.user, activeAdmins: this.users.activeAdmins(), holderPresent }, this.clock())
        if (!decided.ok) return decided
        if (!this.users.decideRoleChange(decided.value.change)) return refuse({ code: 'role_change.not_pending', state: 'decided' })
        if (verdict === 'confirm') this.users.update(decided.value.user)
        const proposer = this.users.byId(change.proposedBy)
        this.log.append({
          actor,
          action: verdict === 'confirm' ? 'user.role_change_confirmed' : 'user.role_change_rejected',
          subject: { type: 'user', id: user.id },
          data: {
            changeId,
            username: user.username,
            fromRoles: change.fromRoles,
            toRoles: change.toRoles,
            proposedBy: change.proposedBy,
            proposedByName: proposer?.username ?? '',
            people: [change.proposedBy, actor.user],
            ...(holderPresent ? { holderPresent: true } : {}),
          },
        })
        return decided
      })
      .immediate()
  }

  pendingRoleChanges(): RoleChangeView[] {
    return this.users.pendingRoleChanges().map((c) => {
      const u = this.users.byId(c.userId)
      const by = this.users.byId(c.proposedBy)
      return { ...c, username: u?.username ?? '', displayName: u?.displayName ?? '', proposedByName: by?.displayName ?? '' }
    })
  }

  private appendProposal(actor: Person, user: User, change: RoleChange): void {
    this.users.insertRoleChange(change)
    const event = this.log.append({
      actor,
      action: 'user.role_change_proposed',
      subject: { type: 'user', id: user.id },
      data: { changeId: change.id, username: user.username, fromRoles: change.fromRoles, toRoles: change.toRoles, people: [actor.user] },
    })
    // Supervisors see it among their alerts at once.
    this.alerts.insertAlert({
      id: randomUUID(),
      kind: 'role_change_proposed',
      logIndex: event.index,
      subjectType: 'user',
      subjectId: user.id,
      createdAt: this.clock(),
    })
  }

  // ---------- passwords ----------

  /**
   * An administrator sets someone else's password: one-time, the user replaces it at first login. The
   * account's admin, custodian and supervisor roles are suspended until a second person restores them.
   */
  async setPassword(actor: Actor, id: string, password: string): Promise<Result<User, AccountError>> {
    if (isPerson(actor) && actor.user === id) return refuse({ code: 'user.own_password_via_reset' })
    const target = this.users.byId(id)
    if (!target) return refuse({ code: 'user.not_found', id })
    const weak = checkPassword(password, [target.username, target.displayName])
    if (weak) return refuse(weak)
    const hash = await this.work.hash(password, this.scrypt)
    return this.db
      .transaction((): Result<User, AccountError> => {
        const user = this.users.byId(id)
        if (!user) return refuse({ code: 'user.not_found', id })
        const now = this.clock()
        // A person's reset suspends the account's two-person roles until a second person restores them (005).
        const decided = isPerson(actor)
          ? decideResetPassword(
              user,
              { actorId: actor.user, pendingId: this.users.pendingRoleChange(id)?.id ?? null, activeAdmins: this.users.activeAdmins() },
              randomUUID(),
              now,
            )
          : ok({ user: { ...user, mustChangePassword: true, updatedAt: now }, restore: null })
        if (!decided.ok) return decided
        const { user: next, restore } = decided.value
        this.users.setPassword(id, hash, now, true)
        this.users.deleteUserSessions(id)
        if (restore) this.users.update(next)
        this.log.append({
          actor,
          action: 'user.password_set',
          subject: { type: 'user', id },
          data: { username: user.username, oneTimePassword: true, ...(restore ? { rolesSuspended: user.roles.filter((r) => !next.roles.includes(r)) } : {}) },
        })
        if (restore && isPerson(actor)) this.appendProposal(actor, next, restore)
        return ok(next)
      })
      .immediate()
  }

  /** A user chooses their own password (proving the current one); their other sessions end. */
  async changeOwnPassword(p: Principal, current: string, next: string, address: string): Promise<Result<User, PasswordChangeError>> {
    const checked = await this.checkPassword(p.username, current, address, 'password_change')
    if (!checked.ok) {
      const e = checked.error
      return e.code === 'auth.invalid_credentials' || e.code === 'auth.account_disabled' ? refuse({ code: 'user.current_password_wrong' }) : refuse(e)
    }
    const user = checked.value
    const weak = checkPassword(next, [user.username, user.displayName])
    if (weak) return refuse(weak)
    if (next.normalize('NFC') === current.normalize('NFC')) return refuse({ code: 'user.password_unchanged' })
    const hash = await this.work.hash(next, this.scrypt)
    return this.db
      .transaction((): Result<User, PasswordChangeError> => {
        const now = this.clock()
        this.users.setPassword(user.id, hash, now, false)
        this.users.deleteOtherSessions(user.id, p.sessionHash)
        this.log.append({
          actor: actorOf(p),
          action: 'user.password_changed',
          subject: { type: 'user', id: user.id },
          data: { username: user.username, address },
        })
        return ok({ ...user, mustChangePassword: false, updatedAt: now })
      })
      .immediate()
  }

  // ---------- logins ----------

  /** Logs in: throttled before hashing; a success opens a session (an event), a failure is a security event. */
  async login(username: string, password: string, address: string): Promise<Result<{ token: string; principal: Principal; expiresAt: number }, LoginError>> {
    const checked = await this.checkPassword(username, password, address, 'login')
    if (!checked.ok) return checked
    const user = checked.value
    const now = this.clock()
    const token = randomBytes(32).toString('base64url')
    const expiresAt = now + SESSION_HOURS * 3600_000
    this.db
      .transaction(() => {
        this.users.deleteExpiredSessions(now)
        this.users.insertSession({ token_hash: tokenHash(token), user_id: user.id, created_at: now, expires_at: expiresAt, address })
        this.log.append({
          actor: actorOf(principalOf(user)),
          action: 'session.opened',
          subject: { type: 'user', id: user.id },
          data: { expiresAt: new Date(expiresAt).toISOString() },
        })
      })
      .immediate()
    return ok({ token, principal: { ...principalOf(user), sessionHash: tokenHash(token) }, expiresAt })
  }

  /**
   * A second person's proof that it is them (a witness, a second opener): their own password, throttled and
   * capped exactly like a login, and no session is opened. A disabled account fails like a wrong password.
   */
  async verifyCredentials(
    username: string,
    password: string,
    address: string,
  ): Promise<Result<{ userId: string; username: string; roles: Role[] }, WitnessError>> {
    const r = await this.checkPassword(username, password, address, 'witness')
    if (!r.ok) {
      const e = r.error
      return e.code === 'auth.invalid_credentials' || e.code === 'auth.account_disabled' ? refuse({ code: 'witness.invalid_credentials' }) : refuse(e)
    }
    return ok({ userId: r.value.id, username: r.value.username, roles: r.value.roles })
  }

  /** The security record: failed and refused logins and witness checks, newest first. */
  securityEvents(since: number, limit: number): SecurityEvent[] {
    return this.security.recent(since, limit)
  }

  /**
   * One password check: the attempt is counted before hashing (parallel guesses cannot outrun the count),
   * the hash waits for a slot in the gate, and a failure is written to the security record, not the log.
   */
  private async checkPassword(username: string, password: string, address: string, kind: string): Promise<Result<User, LoginError>> {
    const now = this.clock()
    const begun = this.throttle.begin(username, address, now)
    if ('waitMs' in begun) return refuse({ code: 'auth.rate_limited', retryAfterSeconds: Math.ceil(begun.waitMs / 1000) })
    const attempt: Attempt = begun.attempt
    const found = this.users.byUsername(username)
    // Same cost whether or not the account exists, so timing does not reveal usernames.
    const stored = found?.passwordHash ?? (await this.dummy())
    const good = await this.hashGate.run(() => this.work.verify(password, stored))
    const record = (outcome: string) => this.security.record({ time: now, kind, username, address, outcome })
    if (good === BUSY) {
      this.throttle.notTried(attempt)
      record('busy')
      return refuse({ code: 'auth.busy', retryAfterSeconds: BUSY_RETRY_SECONDS })
    }
    if (!found || !good) {
      record('invalid_credentials')
      return refuse({ code: 'auth.invalid_credentials' })
    }
    this.throttle.succeeded(attempt)
    if (found.user.disabled) {
      record('disabled')
      return refuse({ code: 'auth.account_disabled' })
    }
    return ok(found.user)
  }

  logout(p: Principal): void {
    this.db
      .transaction(() => {
        this.users.deleteSession(p.sessionHash)
        this.log.append({ actor: actorOf(p), action: 'session.closed', subject: { type: 'user', id: p.userId } })
      })
      .immediate()
  }

  /** The principal behind a session cookie, or null when it is unknown, expired or its user disabled. */
  authenticate(token: string | undefined): Principal | null {
    if (!token || token.length > 100) return null
    const hash = tokenHash(token)
    const s = this.users.session(hash)
    if (!s || s.expires_at <= this.clock()) return null
    const user = this.users.byId(s.user_id)
    if (!user || user.disabled) return null
    return { ...principalOf(user), sessionHash: hash }
  }

  /** Creates the first administrator of an empty system (start-up, not a request): the password is one-time. */
  async bootstrapAdmin(password: string, actor: Actor): Promise<User> {
    const r = await this.create(actor, { username: 'admin', displayName: '系统管理员 Administrator', roles: ['admin'], password }, { oneTimePassword: true })
    if (!r.ok) throw new Error(`cannot create the administrator: ${r.error.code}`)
    return r.value
  }

  /**
   * Creates the first supervisor beside the first administrator (start-up, not a request; one-time password):
   * the second person without whom no administrator, custodian or supervisor could ever be appointed (005).
   */
  async bootstrapSupervisor(password: string, actor: Actor): Promise<User> {
    const r = await this.create(
      actor,
      { username: 'supervisor', displayName: '督导人员 Supervisor', roles: ['supervisor'], password },
      { oneTimePassword: true },
    )
    if (!r.ok) throw new Error(`cannot create the supervisor: ${r.error.code}`)
    return r.value
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= this.work.hash('not a password of anyone', this.scrypt)
    return this.dummyHash
  }
}

const principalOf = (u: User): Omit<Principal, 'sessionHash'> => ({
  userId: u.id,
  username: u.username,
  displayName: u.displayName,
  roles: u.roles,
  mustChangePassword: u.mustChangePassword,
})
