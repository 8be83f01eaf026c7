import { type Role, isRole } from '../domain/accounts/index.ts'
import type { Actor } from './custody-log.ts'

/**
 * The roles an actor acts in, for the domain's move tables: a user's acting roles, or null for the system
 * itself (the demo loader at start-up, never a request).
 */
export const rolesOf = (actor: Actor): Role[] | null => ('roles' in actor ? actor.roles.filter(isRole) : null)

/** A person acting (a logged-in user in the roles they act in), as opposed to the system itself. */
export type Person = Extract<Actor, { user: string }>

/** A person as the domain's decision tables see them: an id and the roles they act in. */
export const domainActor = (p: Person): { userId: string; roles: Role[] } => ({ userId: p.user, roles: p.roles.filter(isRole) })

/** An instant as the log and the API write it. */
export const iso = (ms: number): string => new Date(ms).toISOString()
