export {
  Accounts,
  actorOf,
  SESSION_HOURS,
  SCRYPT_WORK,
  type Principal,
  type LoginError,
  type WitnessError,
  type PasswordChangeError,
  type RoleChangeView,
  type AccountsOptions,
  type PasswordWork,
} from './accounts.ts'
export { CustodyLog, LogDamagedError, SYSTEM, type Actor, type EventDraft, type LogSigningKey, type MarkKeeper } from './custody-log.ts'
export { type LogCheck, type LogIdentity, type VerifiedMark, checkSinceMark, checkWholeLog } from './log-check.ts'
export type { AccountError } from '../domain/accounts/index.ts'
export { type Person, domainActor } from './_acting.ts'
