// The calls of the account, log and key pages, on the one client in _http.ts (which also makes ApiError).
// Types come from the server (types only: nothing of the server is bundled into the browser).
import type { Role } from '../../server/domain/accounts/index.ts'
import { query, request, seg } from './_http.ts'

export { ApiError, type ClientErrorCode } from './_http.ts'

export interface SessionUser {
  id: string
  username: string
  displayName: string
  roles: Role[]
  /** The password was set by an administrator: only the password change is open until they choose their own. */
  mustChangePassword: boolean
}
/** A two-person role change awaiting its second person (decision 005). */
export interface RoleChange {
  id: string
  userId: string
  username: string
  displayName: string
  fromRoles: Role[]
  toRoles: Role[]
  proposedBy: string
  proposedByName: string
  proposedAt: string
  state: 'pending' | 'confirmed' | 'rejected'
}
export interface SecurityEvent {
  time: string
  kind: string
  username: string
  address: string
  outcome: string
}
export interface UserRecord extends SessionUser {
  disabled: boolean
  createdAt: string
  updatedAt: string
}
export interface RoleInfo {
  id: Role
  zh: string
  en: string
}
export interface NewUser {
  username: string
  displayName: string
  roles: Role[]
  password: string
}
export interface UserChange {
  displayName?: string
  roles?: Role[]
  disabled?: boolean
}

export type LogActor = { user: string; name: string; roles: string[] } | { system: string }
export interface LogEvent {
  v: number
  index: number
  prev: string
  time: string
  actor: LogActor
  action: string
  outcome: 'ok' | 'refused'
  subject: { type: string; id: string } | null
  where: { site?: string; room?: string } | null
  data: Record<string, unknown>
}
export interface LogEntry {
  index: number
  bytes: string
  leafHash: string
  event: LogEvent
}
export interface InclusionProof {
  index: number
  size: number
  leafHash: string
  proof: string[]
}
export interface ConsistencyProof {
  from: number
  to: number
  proof: string[]
}
/** An outside witness of the log (GET /api/log/witnesses): its cosigner vkey and what it last cosigned. */
/** GET /api/keys/paper-key (decision 008): the split paper key and its open key ceremony. */
export interface KeyHolder {
  userId: string
  displayName: string
}
export interface PaperKeyState {
  key: { id: string; fingerprint: string; publicKey: string; threshold: number; holders: KeyHolder[]; createdAt: string } | null
  legacyMasterKeys: string[]
  ceremony: {
    id: string
    kind: 'initial' | 'redeal'
    state: 'open' | 'completed' | 'cancelled'
    threshold: number
    holders: Array<KeyHolder & { registered: boolean; unlocked: boolean }>
    startedBy: KeyHolder
    startedAt: string
    currentHoldersUnlocked: number
  } | null
  me: { holder: boolean; named: boolean; registered: boolean; unlocked: boolean }
}
export interface WitnessInfo {
  name: string
  keyId: string
  vkey: string
  cosignedSize: number | null
  cosignedAt: string | null
  problem: string | null
  refused: { size: number; status: number } | null
  lastAttemptAt: string | null
}

const q = (params: Record<string, number>): string => query(params).slice(1)

/** The typed client: one function per API call the kiosk makes. */
export const api = {
  session: {
    get: () => request<{ user: SessionUser | null }>('GET', '/api/session'),
    login: (username: string, password: string) => request<{ user: SessionUser; expiresAt: string }>('POST', '/api/session', { username, password }),
    logout: () => request<void>('DELETE', '/api/session'),
    changePassword: (currentPassword: string, newPassword: string) =>
      request<{ user: SessionUser }>('PUT', '/api/session/password', { currentPassword, newPassword }),
  },
  roleChanges: {
    pending: () => request<{ roleChanges: RoleChange[] }>('GET', '/api/role-changes'),
    propose: (userId: string, roles: Role[]) => request<RoleChange>('POST', `/api/users/${seg(userId)}/role-changes`, { roles }),
    decide: (id: string, verdict: 'confirm' | 'reject', holderPassword?: string) =>
      request<{ roleChange: RoleChange; user: UserRecord }>('POST', `/api/role-changes/${seg(id)}/${verdict}`, holderPassword ? { holderPassword } : undefined),
  },
  security: {
    loginFailures: (hours = 24) => request<{ events: SecurityEvent[] }>('GET', `/api/security/login-failures?${q({ hours })}`),
  },
  roles: () => request<{ roles: RoleInfo[] }>('GET', '/api/roles'),
  users: {
    list: () => request<{ users: UserRecord[] }>('GET', '/api/users'),
    get: (id: string) => request<UserRecord>('GET', `/api/users/${seg(id)}`),
    create: (u: NewUser) => request<UserRecord>('POST', '/api/users', u),
    update: (id: string, change: UserChange) => request<UserRecord>('PATCH', `/api/users/${seg(id)}`, change),
    setPassword: (id: string, password: string) => request<UserRecord>('PUT', `/api/users/${seg(id)}/password`, { password }),
  },
  log: {
    /** The signed note text (C2SP checkpoint). */
    checkpoint: () => request<string>('GET', '/api/log/checkpoint'),
    /** Verifier key lines, current first. */
    keys: () => request<string>('GET', '/api/log/key'),
    entries: (start: number, end: number) =>
      request<{ size: number; entries: LogEntry[]; people?: Record<string, { displayName: string; username: string }>; subjects?: Record<string, string> }>(
        'GET',
        `/api/log/entries?${q({ start, end })}`,
      ),
    inclusionProof: (index: number, size: number) => request<InclusionProof>('GET', `/api/log/proof/inclusion?${q({ index, size })}`),
    consistencyProof: (from: number, to: number) => request<ConsistencyProof>('GET', `/api/log/proof/consistency?${q({ from, to })}`),
    witnesses: () => request<{ witnesses: WitnessInfo[] }>('GET', '/api/log/witnesses'),
    exportUrl: '/api/log/export',
    rotateKey: () => request<{ vkey: string; index: number }>('POST', '/api/log/key/rotate'),
  },
  keys: {
    ticket: () => request<{ keyId: string; publicKey: string; algorithm: 'Ed25519'; name: string; vkey: string }>('GET', '/api/tickets/key'),
    master: () => request<{ keys: Array<{ id: string; current: boolean; files: number }> }>('GET', '/api/admin/master-keys'),
    rotateMaster: () =>
      request<{ keyId: string; previous: string[]; rewrapped: number; failed: Array<{ paperId: string; code: string }>; retired: string[] }>(
        'POST',
        '/api/admin/master-keys/rotate',
      ),
    paperKey: () => request<PaperKeyState>('GET', '/api/keys/paper-key'),
    startCeremony: (holders: string[], threshold: number) => request<PaperKeyState>('POST', '/api/keys/ceremonies', { holders, threshold }),
    cancelCeremony: () => request<PaperKeyState>('POST', '/api/keys/ceremonies/current/cancel'),
    registerShare: (passphrase: string) => request<PaperKeyState>('POST', '/api/keys/ceremonies/current/register', { passphrase }),
    unlockShare: (passphrase: string) => request<PaperKeyState>('POST', '/api/keys/ceremonies/current/unlock', { passphrase }),
  },
}
