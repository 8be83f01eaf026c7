import type { Context } from 'hono'
import type { Role } from '../domain/accounts/index.ts'
import type { Principal } from '../services/index.ts'
import type { Services } from '../app.ts'
import type { Device } from '../domain/kiosk/index.ts'

/** What every handler can reach through c.var. */
export interface AppEnv {
  Variables: {
    principal: Principal | null
    /** The roles of the principal that this route accepts: the roles the action is taken in. */
    actingRoles: Role[]
    services: Services
    /** The door kiosk that signed this request (set by deviceAuth, server/http/kiosk-devices/). */
    device?: Device
  }
}
export type Ctx = Context<AppEnv>
