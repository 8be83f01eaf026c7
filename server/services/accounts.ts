import type { Database } from 'bun:sqlite'
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import {
  type AccountError, type NewUser, type Role, type User, type UserChange,
  checkPassword, decideCreateUser, decideUpdateUser,
} from '../domain/accounts/index.ts'
import { type Result, ok, refuse } from '../domain/_result.ts'
import { type ScryptParams, DEFAULT_SCRYPT, hashPassword, verifyPassword } from '../auth/_password.ts'
import { ACCOUNT_POLICY, ADDRESS_POLICY, FailureThrottle } from '../auth/_rate-limit.ts'
import type { UserStore } from '../db/user-store.ts'
import type { Actor, CustodyLog } from './custody-log.ts'

/** Who is making a request: the logged-in user and the roles they hold. */
export interface Principal { userId: string; username: string; displayName: string; roles: Role[]; sessionHash: string }

export type LoginError =
  | { code: 'auth.invalid_credentials' }
  | { code: 'auth.rate_limited'; retryAfterSeconds: number }
  | { code: 'auth.account_disabled' }

/** Why a second person's credentials were not accepted (a witness or second opener, issue 4). */
export type WitnessError =
  | { code: 'witness.invalid_credentials' }
  | { code: 'auth.rate_limited'; retryAfterSeconds: number }

export const SESSION_HOURS = 12

export const actorOf = (p: Principal, roles: readonly Role[] = p.roles): Actor =>
  ({ user: p.userId, name: p.username, roles: [...roles] })

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex')

/** Accounts and sessions: each change commits with its custody event. */
export class Accounts {
  private readonly byAccount = new FailureThrottle(ACCOUNT_POLICY)
  private readonly byAddress = new FailureThrottle(ADDRESS_POLICY)
  private dummyHash: Promise<string> | null = null

  constructor(
    private readonly db: Database,
    private readonly users: UserStore,
    private readonly log: CustodyLog,
    private readonly clock: () => number,
    private readonly scrypt: ScryptParams = DEFAULT_SCRYPT,
  ) {}

  list(): User[] { return this.users.all() }
  get(id: string): User | null { return this.users.byId(id) }

  async create(actor: Actor, cmd: NewUser): Promise<Result<User, AccountError>> {
    const weak = checkPassword(cmd.password)
    if (weak) return refuse(weak)
    const hash = await hashPassword(cmd.password, this.scrypt) // outside the transaction: it is slow on purpose
    return this.db.transaction((): Result<User, AccountError> => {
      const decided = decideCreateUser(cmd, { usernameTaken: this.users.byUsername(cmd.username) !== null }, randomUUID(), this.clock())
      if (!decided.ok) return decided
      const user = decided.value
      this.users.insert(user, hash)
      this.log.append({
        actor, action: 'user.created', subject: { type: 'user', id: user.id },
        data: { username: user.username, roles: user.roles },
      })
      return ok(user)
    }).immediate()
  }

  update(actor: Actor & { user: string }, id: string, change: UserChange): Result<User, AccountError> {
    return this.db.transaction((): Result<User, AccountError> => {
      const user = this.users.byId(id)
      if (!user) return refuse({ code: 'user.not_found', id })
      const decided = decideUpdateUser(user, change, { actorId: actor.user, activeAdmins: this.users.activeAdmins() }, this.clock())
      if (!decided.ok) return decided
      const next = decided.value
      this.users.update(next)
      // A disabled user's sessions end at once (issue 2).
      if (next.disabled && !user.disabled) this.users.deleteUserSessions(id)
      this.log.append({
        actor, action: next.disabled !== user.disabled ? (next.disabled ? 'user.disabled' : 'user.enabled') : 'user.updated',
        subject: { type: 'user', id },
        data: { username: next.username, roles: next.roles, ...(change.displayName !== undefined ? { displayNameChanged: true } : {}) },
      })
      return ok(next)
    }).immediate()
  }

  async setPassword(actor: Actor, id: string, password: string): Promise<Result<User, AccountError>> {
    const weak = checkPassword(password)
    if (weak) return refuse(weak)
    const hash = await hashPassword(password, this.scrypt)
    return this.db.transaction((): Result<User, AccountError> => {
      const user = this.users.byId(id)
      if (!user) return refuse({ code: 'user.not_found', id })
      this.users.setPassword(id, hash, this.clock())
      this.users.deleteUserSessions(id)
      this.log.append({ actor, action: 'user.password_set', subject: { type: 'user', id }, data: { username: user.username } })
      return ok(user)
    }).immediate()
  }

  /** Logs in: throttled per account and per address; a success opens a session (an event). */
  async login(username: string, password: string, address: string): Promise<Result<{ token: string; principal: Principal; expiresAt: number }, LoginError>> {
    const now = this.clock()
    const wait = Math.max(this.byAccount.retryAfter(username, now), this.byAddress.retryAfter(address, now))
    if (wait > 0) return refuse({ code: 'auth.rate_limited', retryAfterSeconds: Math.ceil(wait / 1000) })
    const found = this.users.byUsername(username)
    // Same cost whether or not the account exists, so timing does not reveal usernames.
    const good = found ? await verifyPassword(password, found.passwordHash) : (await verifyPassword(password, await this.dummy()), false)
    if (!found || !good) {
      this.byAccount.fail(username, now)
      this.byAddress.fail(address, now)
      return refuse({ code: 'auth.invalid_credentials' })
    }
    if (found.user.disabled) return refuse({ code: 'auth.account_disabled' })
    this.byAccount.clear(username)
    const token = randomBytes(32).toString('base64url')
    const expiresAt = now + SESSION_HOURS * 3600_000
    const user = found.user
    this.db.transaction(() => {
      this.users.deleteExpiredSessions(now)
      this.users.insertSession({ token_hash: tokenHash(token), user_id: user.id, created_at: now, expires_at: expiresAt, address })
      this.log.append({ actor: actorOf({ ...principalOf(user), sessionHash: '' }), action: 'session.opened', subject: { type: 'user', id: user.id }, data: { expiresAt: new Date(expiresAt).toISOString() } })
    }).immediate()
    return ok({ token, principal: { ...principalOf(user), sessionHash: tokenHash(token) }, expiresAt })
  }

  /**
   * A second person's proof that it is them (a witness, a second opener: issue 4): their own password,
   * throttled exactly like a login, and no session is opened. A disabled account fails like a wrong password.
   */
  async verifyCredentials(username: string, password: string, address: string): Promise<Result<{ userId: string; username: string; roles: Role[] }, WitnessError>> {
    const now = this.clock()
    const wait = Math.max(this.byAccount.retryAfter(username, now), this.byAddress.retryAfter(address, now))
    if (wait > 0) return refuse({ code: 'auth.rate_limited', retryAfterSeconds: Math.ceil(wait / 1000) })
    const found = this.users.byUsername(username)
    const good = found ? await verifyPassword(password, found.passwordHash) : (await verifyPassword(password, await this.dummy()), false)
    if (!found || !good || found.user.disabled) {
      this.byAccount.fail(username, now)
      this.byAddress.fail(address, now)
      return refuse({ code: 'witness.invalid_credentials' })
    }
    this.byAccount.clear(username)
    return ok({ userId: found.user.id, username: found.user.username, roles: found.user.roles })
  }

  logout(p: Principal): void {
    this.db.transaction(() => {
      this.users.deleteSession(p.sessionHash)
      this.log.append({ actor: actorOf(p), action: 'session.closed', subject: { type: 'user', id: p.userId } })
    }).immediate()
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

  /** Creates the first administrator of an empty system (start-up, not a request). */
  async bootstrapAdmin(password: string, actor: Actor): Promise<User> {
    const r = await this.create(actor, { username: 'admin', displayName: '系统管理员 Administrator', roles: ['admin'], password })
    if (!r.ok) throw new Error(`cannot create the administrator: ${r.error.code}`)
    return r.value
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= hashPassword('not a password of anyone', this.scrypt)
    return this.dummyHash
  }
}

const principalOf = (u: User): Omit<Principal, 'sessionHash'> => ({ userId: u.id, username: u.username, displayName: u.displayName, roles: u.roles })
