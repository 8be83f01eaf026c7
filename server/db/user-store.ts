import type { Database, Statement } from 'bun:sqlite'
import type { Role, RoleChange, RoleChangeState, User } from '../domain/accounts/index.ts'

interface UserRow {
  id: string
  username: string
  display_name: string
  roles: string
  password_hash: string
  disabled: number
  must_change_password: number
  created_at: number
  updated_at: number
}
interface RoleChangeRow {
  id: string
  user_id: string
  from_roles: string
  to_roles: string
  proposed_by: string
  proposed_at: number
  state: string
  decided_by: string | null
  decided_at: number | null
}
export interface SessionRow {
  token_hash: string
  user_id: string
  created_at: number
  expires_at: number
  address: string
}

const toUser = (r: UserRow): User => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  roles: JSON.parse(r.roles) as Role[],
  disabled: r.disabled === 1,
  mustChangePassword: r.must_change_password === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})
const toRoleChange = (r: RoleChangeRow): RoleChange => ({
  id: r.id,
  userId: r.user_id,
  fromRoles: JSON.parse(r.from_roles) as Role[],
  toRoles: JSON.parse(r.to_roles) as Role[],
  proposedBy: r.proposed_by,
  proposedAt: r.proposed_at,
  state: r.state as RoleChangeState,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
})

/** SQL for accounts, sessions and two-person role changes. */
export class UserStore {
  private readonly q: {
    byId: Statement<UserRow, [string]>
    byName: Statement<UserRow, [string]>
    all: Statement<UserRow, []>
    insert: Statement<unknown, [string, string, string, string, string, number, number, number, number]>
    update: Statement<unknown, [string, string, number, number, string]>
    setPassword: Statement<unknown, [string, number, number, string]>
    deleteOtherSessions: Statement<unknown, [string, string]>
    roleChange: Statement<RoleChangeRow, [string]>
    pendingRoleChange: Statement<RoleChangeRow, [string]>
    pendingRoleChanges: Statement<RoleChangeRow, []>
    insertRoleChange: Statement<unknown, [string, string, string, string, string, number]>
    decideRoleChange: Statement<unknown, [string, string, number, string]>
    activeAdmins: Statement<{ n: number }, []>
    session: Statement<SessionRow, [string]>
    insertSession: Statement<unknown, [string, string, number, number, string]>
    deleteSession: Statement<unknown, [string]>
    deleteUserSessions: Statement<unknown, [string]>
    deleteExpired: Statement<unknown, [number]>
  }

  constructor(db: Database) {
    this.q = {
      byId: db.query('SELECT * FROM users WHERE id = ?'),
      byName: db.query('SELECT * FROM users WHERE username = ?'),
      all: db.query('SELECT * FROM users ORDER BY username'),
      insert: db.query(
        'INSERT INTO users (id, username, display_name, roles, password_hash, disabled, must_change_password, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      update: db.query('UPDATE users SET display_name = ?, roles = ?, disabled = ?, updated_at = ? WHERE id = ?'),
      setPassword: db.query('UPDATE users SET password_hash = ?, must_change_password = ?, updated_at = ? WHERE id = ?'),
      deleteOtherSessions: db.query('DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?'),
      roleChange: db.query('SELECT * FROM role_changes WHERE id = ?'),
      pendingRoleChange: db.query("SELECT * FROM role_changes WHERE user_id = ? AND state = 'pending'"),
      pendingRoleChanges: db.query("SELECT * FROM role_changes WHERE state = 'pending' ORDER BY proposed_at"),
      insertRoleChange: db.query(
        "INSERT INTO role_changes (id, user_id, from_roles, to_roles, proposed_by, proposed_at, state) VALUES (?, ?, ?, ?, ?, ?, 'pending')",
      ),
      decideRoleChange: db.query("UPDATE role_changes SET state = ?, decided_by = ?, decided_at = ? WHERE id = ? AND state = 'pending'"),
      activeAdmins: db.query(`SELECT count(*) AS n FROM users WHERE disabled = 0 AND EXISTS (SELECT 1 FROM json_each(users.roles) WHERE value = 'admin')`),
      session: db.query('SELECT * FROM sessions WHERE token_hash = ?'),
      insertSession: db.query('INSERT INTO sessions (token_hash, user_id, created_at, expires_at, address) VALUES (?, ?, ?, ?, ?)'),
      deleteSession: db.query('DELETE FROM sessions WHERE token_hash = ?'),
      deleteUserSessions: db.query('DELETE FROM sessions WHERE user_id = ?'),
      deleteExpired: db.query('DELETE FROM sessions WHERE expires_at <= ?'),
    }
  }

  byId(id: string): User | null {
    const r = this.q.byId.get(id)
    return r ? toUser(r) : null
  }
  byUsername(username: string): { user: User; passwordHash: string } | null {
    const r = this.q.byName.get(username)
    return r ? { user: toUser(r), passwordHash: r.password_hash } : null
  }
  passwordHash(id: string): string | null {
    return this.q.byId.get(id)?.password_hash ?? null
  }
  all(): User[] {
    return this.q.all.all().map(toUser)
  }
  activeAdmins(): number {
    return this.q.activeAdmins.get()?.n ?? 0
  }

  insert(u: User, passwordHash: string): void {
    this.q.insert.run(
      u.id,
      u.username,
      u.displayName,
      JSON.stringify(u.roles),
      passwordHash,
      u.disabled ? 1 : 0,
      u.mustChangePassword ? 1 : 0,
      u.createdAt,
      u.updatedAt,
    )
  }
  update(u: User): void {
    this.q.update.run(u.displayName, JSON.stringify(u.roles), u.disabled ? 1 : 0, u.updatedAt, u.id)
  }
  /** A new password; `mustChange` when someone else chose it (decision 005). */
  setPassword(id: string, passwordHash: string, now: number, mustChange: boolean): void {
    this.q.setPassword.run(passwordHash, mustChange ? 1 : 0, now, id)
  }

  roleChange(id: string): RoleChange | null {
    const r = this.q.roleChange.get(id)
    return r ? toRoleChange(r) : null
  }
  pendingRoleChange(userId: string): RoleChange | null {
    const r = this.q.pendingRoleChange.get(userId)
    return r ? toRoleChange(r) : null
  }
  pendingRoleChanges(): RoleChange[] {
    return this.q.pendingRoleChanges.all().map(toRoleChange)
  }
  insertRoleChange(c: RoleChange): void {
    this.q.insertRoleChange.run(c.id, c.userId, JSON.stringify(c.fromRoles), JSON.stringify(c.toRoles), c.proposedBy, c.proposedAt)
  }
  /** Records a verdict on a pending change; false when it was no longer pending. */
  decideRoleChange(c: RoleChange): boolean {
    return this.q.decideRoleChange.run(c.state, c.decidedBy!, c.decidedAt!, c.id).changes > 0
  }

  session(tokenHash: string): SessionRow | null {
    return this.q.session.get(tokenHash) ?? null
  }
  insertSession(s: SessionRow): void {
    this.q.insertSession.run(s.token_hash, s.user_id, s.created_at, s.expires_at, s.address)
  }
  deleteSession(tokenHash: string): void {
    this.q.deleteSession.run(tokenHash)
  }
  deleteUserSessions(userId: string): void {
    this.q.deleteUserSessions.run(userId)
  }
  deleteOtherSessions(userId: string, keepTokenHash: string): void {
    this.q.deleteOtherSessions.run(userId, keepTokenHash)
  }
  deleteExpiredSessions(now: number): void {
    this.q.deleteExpired.run(now)
  }
}
