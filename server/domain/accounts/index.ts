export { ROLES, ROLE_NAMES, SCOPED_ROLES, isRole, type Role } from './_roles.ts'
export {
  decideCreateUser,
  decideUpdateUser,
  parseRoles,
  twoPersonDifference,
  sameRoles,
  TWO_PERSON_ROLES,
  EXCLUSIVE_ROLES,
  type User,
  type NewUser,
  type UserChange,
  type AccountError,
} from './_accounts.ts'
export { checkPassword, DEMO_PASSWORD, PASSWORD_MIN_LENGTH, PASSWORD_MIN_SCORE, type WeakPassword, type PasswordWeakness } from './_password-policy.ts'
export { decideProposeRoleChange, decideRoleChange, decideResetPassword, grantsTwoPersonRole, type RoleChange, type RoleChangeState } from './_role-changes.ts'
