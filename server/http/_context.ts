import type { Context } from 'hono'
import type { Role } from '../domain/accounts/index.ts'
import type { Principal } from '../services/index.ts'
import type { Services } from '../app.ts'

/** What every handler can reach through c.var. */
export interface AppEnv {
  Variables: {
    principal: Principal | null
    /** The roles of the principal that this route accepts: the roles the action is taken in. */
    actingRoles: Role[]
    services: Services
  }
}
export type Ctx = Context<AppEnv>
