import type { Database } from 'bun:sqlite'
import { OpenAPIHono } from '@hono/zod-openapi'
import { HTTPException } from 'hono/http-exception'
import { secureHeaders } from 'hono/secure-headers'
import { type ScryptParams, DEFAULT_SCRYPT } from './auth/_password.ts'
import { openDatabase } from './db/_database.ts'
import { migrate } from './db/_migrate.ts'
import { LogStore } from './db/log-store.ts'
import { UserStore } from './db/user-store.ts'
import { RoomsStore } from './db/rooms-store.ts'
import { TicketStore } from './db/ticket-store.ts'
import type { AppEnv } from './http/_context.ts'
import { errorBody } from './http/_errors.ts'
import { jsonBodyLimit, jsonOnly, loadPrincipal, originCheck, writesNeedHealthyLog } from './http/_middleware.ts'
import { type RouteEntry, fail } from './http/_route.ts'
import { docsRoutes } from './http/docs.ts'
import { pageRoutes } from './http/pages.ts'
import { logKeyRoutes, logRoutes } from './http/log.ts'
import { sessionRoutes } from './http/session.ts'
import { userRoutes } from './http/users.ts'
import { roomRoutes } from './http/rooms.ts'
import { ticketPrintRoutes, ticketRoutes } from './http/tickets.ts'
import { isCsvImport, isLifecycleUpload, lifecycleRoutes } from './http/lifecycle.ts'
import { Lifecycle } from './services/lifecycle.ts'
import { Rooms } from './services/rooms.ts'
import { Scope } from './services/scope.ts'
import { Tickets } from './services/tickets.ts'
import { Accounts, CustodyLog, LogDamagedError, type LogSigningKey } from './services/index.ts'

export interface AppDeps {
  /** A path, ':memory:', or an open database. */
  db: string | Database
  logKey: LogSigningKey
  /** The body's admission-ticket key (R3.5): doors verify ticket QR codes offline with its public half. */
  ticketKey: LogSigningKey
  clock?: () => number
  scrypt?: ScryptParams
  /** Extra origins accepted for state-changing requests (the server's own origin always is). */
  trustedOrigins?: string[]
  /** Where a rotated log key's private half is kept (the data folder); tests keep it in memory. */
  saveLogKey?: (key: LogSigningKey) => void
  jsonBodyLimit?: number
}

export interface Services {
  db: Database
  clock: () => number
  log: CustodyLog
  accounts: Accounts
  saveLogKey: (key: LogSigningKey) => void
  ticketKey: LogSigningKey
  lifecycle: Lifecycle
  rooms: Rooms
  scope: Scope
  tickets: Tickets
}

export interface CustodyApp {
  app: OpenAPIHono<AppEnv>
  services: Services
  routes: RouteEntry[]
  close(): void
}

/** Builds the whole server from its dependencies. No side effects on import; no listening. */
export function createApp(deps: AppDeps): CustodyApp {
  const db = typeof deps.db === 'string' ? openDatabase(deps.db) : (migrate(deps.db), deps.db)
  const clock = deps.clock ?? Date.now
  const log = new CustodyLog(db, new LogStore(db), deps.logKey, clock)
  log.verifyStored()
  const services: Services = {
    db, clock, log,
    accounts: new Accounts(db, new UserStore(db), log, clock, deps.scrypt ?? DEFAULT_SCRYPT),
    saveLogKey: deps.saveLogKey ?? (() => {}),
    ticketKey: deps.ticketKey,
    lifecycle: new Lifecycle(db, log, clock),
  } as Omit<Services, 'rooms' | 'scope' | 'tickets'> as Services
  // Part G: sites, rooms, seating, staff, inspections (rooms, scope) and admission tickets.
  const roomsStore = new RoomsStore(db), ticketStore = new TicketStore(db)
  services.rooms = new Rooms(db, roomsStore, ticketStore, services.accounts, log, clock, services.lifecycle)
  services.scope = new Scope(roomsStore)
  services.tickets = new Tickets(db, ticketStore, roomsStore, services.accounts, log, clock, deps.ticketKey)

  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code }))
        return fail(c as never, 'request.invalid', { target: result.target, issues })
      }
      return undefined
    },
  })
  const routes: RouteEntry[] = []

  app.use('*', secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:', 'blob:'],
      connectSrc: ["'self'"], mediaSrc: ["'self'", 'blob:'], objectSrc: ["'none'"], frameAncestors: ["'none'"],
      baseUri: ["'self'"], formAction: ["'self'"],
    },
    xFrameOptions: 'DENY',
    xContentTypeOptions: 'nosniff',
    referrerPolicy: 'same-origin',
    permissionsPolicy: { camera: ['self'], microphone: [], geolocation: [] },
  }))
  app.use('*', async (c, next) => { c.set('services', services); return next() })
  const jsonLimit = jsonBodyLimit(deps.jsonBodyLimit ?? 1024 * 1024)
  app.use('/api/*', (c, next) => (isLifecycleUpload(c.req.path) ? next() : jsonLimit(c, next))) // uploads: lifecycleRoutes sets their limits
  app.use('/api/*', originCheck(deps.trustedOrigins ?? []))
  app.use('/api/*', jsonOnly(isCsvImport))
  app.use('/api/*', loadPrincipal)
  app.use('/api/*', writesNeedHealthyLog)

  sessionRoutes(app, routes)
  userRoutes(app, routes)
  lifecycleRoutes(app, routes)
  roomRoutes(app, routes)
  ticketRoutes(app, routes)
  ticketPrintRoutes(app)
  logRoutes(app, routes)
  logKeyRoutes(app, routes)
  docsRoutes(app, routes)
  pageRoutes(app)

  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Custody — exam-paper custody and kiosk API',
      version: '0.1.0',
      description: 'Every state change is an event in a verifiable custody log (RFC 9162 Merkle tree, C2SP checkpoints).',
    },
  })
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: 'custody_session' })

  app.notFound((c) => fail(c, 'request.not_found', { path: c.req.path }))
  app.onError((err, c) => {
    if (err instanceof LogDamagedError) return fail(c, 'log.damaged', { reason: err.reason })
    if (err instanceof HTTPException) {
      const malformed = /json/i.test(err.message)
      return fail(c, err.status === 413 ? 'request.too_large' : malformed ? 'request.malformed_json' : 'request.invalid', { reason: err.message })
    }
    console.error(`[custody] ${c.req.method} ${c.req.path}:`, err)
    return c.json(errorBody('internal'), 500)
  })

  return { app, services, routes, close: () => db.close() }
}
