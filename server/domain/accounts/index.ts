export { ROLES, ROLE_NAMES, SCOPED_ROLES, isRole, type Role } from './_roles.ts'
export {
  decideCreateUser, decideUpdateUser, checkPassword, PASSWORD_MIN_LENGTH,
  type User, type NewUser, type UserChange, type AccountError,
} from './_accounts.ts'
