export { Accounts, actorOf, SESSION_HOURS, type Principal, type LoginError } from './accounts.ts'
export { CustodyLog, LogDamagedError, SYSTEM, type Actor, type EventDraft, type LogSigningKey } from './custody-log.ts'
export type { AccountError } from '../domain/accounts/index.ts'
