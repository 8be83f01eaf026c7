import { type Role, isRole } from '../domain/accounts/index.ts'
import type { Actor } from './custody-log.ts'

/**
 * The roles an actor acts in, for the domain's move tables: a user's acting roles, or null for the system
 * itself (the demo loader at start-up, never a request).
 */
export const rolesOf = (actor: Actor): Role[] | null => ('roles' in actor ? actor.roles.filter(isRole) : null)

/** An instant as the log and the API write it. */
export const iso = (ms: number): string => new Date(ms).toISOString()
