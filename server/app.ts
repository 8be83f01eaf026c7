import type { Database } from 'bun:sqlite'
import { OpenAPIHono } from '@hono/zod-openapi'
import { HTTPException } from 'hono/http-exception'
import { secureHeaders } from 'hono/secure-headers'
import { compress } from 'hono/compress'
import { type ScryptParams, DEFAULT_SCRYPT } from './auth/_password.ts'
import { localOrigins } from './config.ts'
import { type RefusalLimits, RefusalLog } from './services/refusal-log.ts'
import { openDatabase } from './db/_database.ts'
import { migrate } from './db/_migrate.ts'
import { LogStore } from './db/log-store.ts'
import { UserStore } from './db/user-store.ts'
import { RoomsStore } from './db/rooms-store.ts'
import { SessionInfoReads } from './db/read-models/session-info.ts'
import { TicketStore } from './db/ticket-store.ts'
import { CandidateStore } from './db/candidate-store.ts'
import type { AppEnv } from './http/_context.ts'
import { errorBody } from './http/_errors.ts'
import { jsonBodyLimit, jsonOnly, loadPrincipal, noStore, originCheck, writesNeedHealthyLog } from './http/_middleware.ts'
import { type RouteEntry, fail } from './http/_route.ts'
import { docsRoutes } from './http/docs.ts'
import { pageRoutes } from './http/pages.ts'
import { logKeyRoutes, logRoutes } from './http/log/index.ts'
import { sessionRoutes } from './http/session.ts'
import { userRoutes } from './http/users/index.ts'
import { roomRoutes } from './http/rooms/index.ts'
import { ticketPrintRoutes, ticketRoutes } from './http/tickets/index.ts'
import { isCsvImport, isLifecycleUpload, lifecycleRoutes } from './http/lifecycle.ts'
import { Lifecycle } from './services/lifecycle.ts'
import { Rooms } from './services/rooms.ts'
import { Scope } from './services/scope.ts'
import { Tickets } from './services/tickets.ts'
import { PacketStore } from './db/packet-store.ts'
import { LeakStore } from './db/leak-store.ts'
import { Custody } from './services/custody.ts'
import { Leaks } from './services/leaks.ts'
import { CustodyReports } from './services/custody-reports.ts'
import { custodyFacts, custodyWrites } from './services/_custody-facts.ts'
import { packetRoutes } from './http/packets/index.ts'
import { leakRoutes } from './http/leaks/index.ts'
import { custodyReportRoutes } from './http/custody-reports/index.ts'
import { type AccountsOptions, Accounts, CustodyLog, LogDamagedError, type LogSigningKey, type MarkKeeper, type VerifiedMark } from './services/index.ts'
import type { MasterKey } from '../crypto/index.ts'
import { PaperStore } from './db/paper-store.ts'
import { installNativeCrypto } from './native-crypto.ts'
import { BatchStore } from './db/batch-store.ts'
import { CosignatureStore } from './db/cosignature-store.ts'
import { type WitnessConfig, type WitnessOptions, Witnesses } from './services/witnesses.ts'
import { type PaperBlobStore, MemoryPaperBlobStore } from './paper-blobs.ts'
import { type MasterKeyKeeper, MasterKeyRing, Papers, newMasterKey } from './services/papers.ts'
import { isPaperUpload, papersRoutes } from './http/papers/index.ts'
import { KeyShareStore } from './db/key-share-store.ts'
import { KeyCeremonies } from './services/key-ceremony.ts'
import { keyCeremonyRoutes } from './http/key-ceremony/index.ts'
import { DoorDrill } from './services/door-drill.ts'
import { doorDrillRoutes } from './http/door-drill/index.ts'
import { KioskDeviceStore } from './db/kiosk-device-store.ts'
import { TicketKeyStore } from './db/ticket-key-store.ts'
import { ticketKeyRoutes } from './http/ticket-keys/index.ts'
import { type SaveTicketKey, TicketKeys } from './services/ticket-keys.ts'
import { KioskDevices } from './services/kiosk-devices.ts'
import { kioskDeviceRoutes } from './http/kiosk-devices/index.ts'
import { KioskRoomStore } from './db/kiosk-room-store.ts'
import { OccupationStore } from './db/occupation-store.ts'
import { KioskRoom } from './services/kiosk-room.ts'
import { kioskRoomRoutes } from './http/kiosk-room/index.ts'
import { createHmac } from 'node:crypto'
import { KioskRecordStore } from './db/kiosk-record-store.ts'
import { KioskSync } from './services/kiosk-sync.ts'
import { isKioskSync, kioskRoutes } from './http/kiosk/index.ts'
import { ScoreStore } from './db/score-store.ts'
import { ScoreFacts } from './db/read-models/score-facts.ts'
import { sqlKioskScoreFacts } from './db/read-models/kiosk-score-facts.ts'
import { Scores } from './services/scores.ts'
import { scoresRoutes } from './http/scores/index.ts'
import { Results } from './services/results.ts'
import { resultsRoutes } from './http/results/index.ts'
import { CertificateStore } from './db/certificate-store.ts'
import { CertificateKeys } from './services/certificate-keys.ts'
import { Certificates } from './services/certificates.ts'
import { certificateRoutes } from './http/certificates/index.ts'
import { StatisticsReads } from './db/read-models/statistics.ts'
import { Statistics } from './services/statistics.ts'
import { statisticsRoutes } from './http/statistics/index.ts'

export interface AppDeps {
  /** A path, ':memory:', or an open database. */
  db: string | Database
  /**
   * Where the start-up check begins: the size and root this server last verified (server/log-mark.ts).
   * Absent, the whole log is checked before createApp returns; present, only what follows it, and the
   * caller runs the whole check in the background (server/log-check-worker.ts).
   */
  logMark?: VerifiedMark | null
  /** Keeps the mark of every checkpoint signed and of each passed start-up check. */
  logMarks?: MarkKeeper
  logKey: LogSigningKey
  /** The body's admission-ticket key (R3.5): doors verify ticket QR codes offline with its public half. The ticket key ring's first member (decision 011). */
  ticketKey: LogSigningKey
  /** The private halves of the ring's later keys (DATA_DIR/keys/ticket-keys/*.key); none in a new data folder. */
  ticketKeys?: LogSigningKey[]
  /** Keeps a rotated ticket key's private half (DATA_DIR/keys/ticket-keys/<keyId>.key, 0600); tests keep it in memory. */
  saveTicketKey?: SaveTicketKey
  /** The private halves of the certificate key ring (DATA_DIR/keys/certificate-keys/*.key); none: one is made at start and saved (R8.1). */
  certificateKeys?: LogSigningKey[]
  /** Keeps a new certificate key's private half (DATA_DIR/keys/certificate-keys/<keyId>.key, 0600); tests keep it in memory. */
  saveCertificateKey?: import('./services/certificate-keys.ts').SaveCertificateKey
  clock?: () => number
  scrypt?: ScryptParams
  /** Password checks: how many hashes at once and how many may wait (decision 005); tests may count them. */
  passwords?: AccountsOptions
  /**
   * The origins people reach this server at (CUSTODY_PUBLIC_ORIGIN); a state-changing request's Origin must
   * be one of these or of trustedOrigins, never merely match the Host header (decision 007). A function is read
   * on each request (main.ts learns its port after listening). Default: http://localhost:8080, http://127.0.0.1:8080.
   */
  publicOrigins?: readonly string[] | (() => readonly string[])
  /** Extra origins accepted for state-changing requests (CUSTODY_ORIGINS), e.g. behind a proxy. */
  trustedOrigins?: string[]
  /**
   * The origin a printed certificate's QR code opens (/verify/<number>): the first of CUSTODY_PUBLIC_ORIGIN, where
   * the public reaches this body. Unset: the origin the staff member's browser asked the print page at.
   */
  verifyOrigin?: string | null
  /** Where a rotated log key's private half is kept (the data folder); tests keep it in memory. */
  saveLogKey?: (key: LogSigningKey) => void
  jsonBodyLimit?: number
  /** Where paper ciphertext is kept (DATA_DIR/papers); tests get an in-memory store. */
  paperBlobs?: PaperBlobStore
  /**
   * Plain master keys of a data folder made before the split key, oldest first (003); main.ts passes what is on
   * disk (none in a new folder: 008); tests that pass nothing get one generated key.
   */
  masterKeys?: MasterKey[]
  /** Keeps a rotated master key and deletes a retired one (DATA_DIR/keys); tests keep them in memory. */
  masterKeyKeeper?: MasterKeyKeeper
  /** The largest paper file accepted (default ~2.5 GB). */
  paperMaxBytes?: number
  /** Outside witnesses that cosign the log's checkpoints (docs/decisions/009-log-witness.md); none by default. */
  witnesses?: WitnessConfig[]
  /** How many refusals per user and window are logged one by one (default 60 a minute; decision 007). */
  refusalLimits?: RefusalLimits
  witnessOptions?: WitnessOptions
}

export interface Services {
  db: Database
  clock: () => number
  /** Where printed certificates' QR codes point (AppDeps.verifyOrigin); null: the print request's own origin. */
  verifyOrigin: string | null
  log: CustodyLog
  /** Refusal events, at most so many per user and minute one by one, the rest summarised (decision 007). */
  refusals: RefusalLog
  /** Outside witnesses: checkpoints are sent to them, their cosignatures kept and served. */
  witnesses: Witnesses
  accounts: Accounts
  saveLogKey: (key: LogSigningKey) => void
  /** The ticket key the server started with (the ring's first member); the ring itself is ticketKeys. */
  ticketKey: LogSigningKey
  /** The ticket key ring: the active key signs, every key valid for a session verifies (decision 011). */
  ticketKeys: TicketKeys
  lifecycle: Lifecycle
  rooms: Rooms
  scope: Scope
  tickets: Tickets
  /** Packet moves, handovers, room, disposal, alerts; leaks; custody reports. */
  custody: Custody
  leaks: Leaks
  custodyReports: CustodyReports
  /** Papers, encrypted files, print jobs, labels, custody settings, master keys. */
  papers: Papers
  /** The split paper key: ceremonies, shares, the private key rebuilt per print job (008). */
  keyCeremonies: KeyCeremonies
  /** The demo's door drill sheet (training invigilators at the kiosk). */
  doorDrill: DoorDrill
  /** Door tablets: enrolment, revocation, device-signed requests and records (decision 011). */
  kioskDevices: KioskDevices
  /** In the room: incidents, score sheets, the room record and the supervisors' live view (R6.3, R7.1). */
  kioskRoom: KioskRoom
  /** The door kiosk's room package, record sync and second-person confirmation tokens (decision 011). */
  kioskSync: KioskSync
  /** Theory imports, practical sheets, double keying, verification and signed tallies; results per subject (R7.1). */
  scores: Scores
  /** Publication of results, the public lookup and reviews (R7.2, R7.3). */
  results: Results
  /** The certificate key ring, issue, reissue and the public check (R8.1–R8.3). */
  certificates: Certificates
  /** Yearly statistics (R9.1). */
  statistics: Statistics
}

export interface CustodyApp {
  app: OpenAPIHono<AppEnv>
  services: Services
  routes: RouteEntry[]
  close(): void
}

/** Builds the whole server from its dependencies. No side effects on import; no listening. */
export function createApp(deps: AppDeps): CustodyApp {
  installNativeCrypto() // crypto/ is pure; the server plugs in node:crypto (idempotent), so no entry point can forget it
  const db = typeof deps.db === 'string' ? openDatabase(deps.db) : (migrate(deps.db), deps.db)
  const clock = deps.clock ?? Date.now
  const log = new CustodyLog(db, new LogStore(db), deps.logKey, clock)
  if (deps.logMarks) log.keepMarks(deps.logMarks)
  log.verifyStored(deps.logMark)
  const services: Services = {
    db,
    clock,
    log,
    witnesses: new Witnesses(log, new CosignatureStore(db), deps.witnesses ?? [], clock, deps.witnessOptions),
    accounts: new Accounts(db, new UserStore(db), log, clock, deps.scrypt ?? DEFAULT_SCRYPT, deps.passwords),
    saveLogKey: deps.saveLogKey ?? (() => {}),
    ticketKey: deps.ticketKey,
    lifecycle: new Lifecycle(db, log, clock),
    refusals: new RefusalLog(log, clock, deps.refusalLimits),
    verifyOrigin: deps.verifyOrigin ?? null,
  } as Omit<Services, 'rooms' | 'scope' | 'tickets' | 'doorDrill'> as Services
  // Sites, rooms, seating, staff, inspections (rooms, scope) and admission tickets.
  const roomsStore = new RoomsStore(db),
    ticketStore = new TicketStore(db),
    sessionInfo = new SessionInfoReads(db)
  services.rooms = new Rooms(db, roomsStore, sessionInfo, ticketStore, services.accounts, log, clock, services.lifecycle)
  services.scope = new Scope(roomsStore)
  services.doorDrill = new DoorDrill(new CandidateStore(db), ticketStore, roomsStore, sessionInfo)
  services.ticketKeys = new TicketKeys(db, new TicketKeyStore(db), ticketStore, log, clock, [deps.ticketKey, ...(deps.ticketKeys ?? [])], deps.saveTicketKey)
  services.ticketKeys.start()
  services.tickets = new Tickets(db, ticketStore, roomsStore, sessionInfo, new CandidateStore(db), services.accounts, log, clock, services.ticketKeys)
  // Packets after printing, leaks, custody reports.
  // A store runs SQL for its own aggregate: what custody reads of papers, sessions, staff and accounts comes from theirs.
  const packetStore = new PacketStore(db),
    leakStore = new LeakStore(db),
    paperStore = new PaperStore(db),
    batchStore = new BatchStore(db)
  const facts = custodyFacts({ papers: paperStore, batches: batchStore, rooms: roomsStore, users: new UserStore(db) })
  const places = { room: (id: string) => roomsStore.room(id), site: (id: string) => roomsStore.site(id), session: (id: string) => sessionInfo.session(id) }
  services.custody = new Custody(db, packetStore, leakStore, services.accounts, log, clock, places, facts)
  services.leaks = new Leaks(db, packetStore, leakStore, log, clock, facts, custodyWrites({ papers: paperStore, batches: batchStore }))
  services.custodyReports = new CustodyReports(packetStore, leakStore, log, clock, facts)
  // Papers and printing.
  // The split paper key (008): a data folder's plain master keys (if any, until a ceremony converts them).
  const legacyKeys = new MasterKeyRing(deps.masterKeys ?? [newMasterKey(clock())], deps.masterKeyKeeper)
  services.keyCeremonies = new KeyCeremonies(
    db,
    new KeyShareStore(db),
    paperStore,
    new UserStore(db),
    log,
    clock,
    legacyKeys,
    deps.scrypt ?? DEFAULT_SCRYPT,
    services.accounts.hashGate,
  )
  services.papers = new Papers(
    db,
    paperStore,
    roomsStore,
    { batches: batchStore, packets: packetStore, alerts: leakStore, sessions: sessionInfo },
    services.accounts,
    log,
    clock,
    deps.paperBlobs ?? new MemoryPaperBlobStore(),
    legacyKeys,
    services.keyCeremonies,
    { maxFileBytes: deps.paperMaxBytes },
  )

  services.kioskDevices = new KioskDevices(db, new KioskDeviceStore(db), roomsStore, log, clock)
  const occupationStore = new OccupationStore(db),
    candidateStore = new CandidateStore(db)
  services.kioskRoom = new KioskRoom(db, new KioskRoomStore(db), roomsStore, sessionInfo, {
    candidateName: (id) => candidateStore.names([id]).get(id) ?? null,
    ticketOf: (sessionId, candidateId) => ticketStore.live(sessionId, candidateId)?.number ?? null,
    userName: (id) => services.accounts.get(id)?.displayName ?? null,
    // A practical session is scored on its subject, out of the subject's maximum mark.
    scoreItems: (sessionId) => {
      const s = sessionInfo.session(sessionId)
      const subject = s?.subjectKind === 'practical' ? occupationStore.subject(s.subjectId)?.subject : undefined
      return subject ? [{ id: subject.id, name: subject.name, max: subject.maxMark }] : []
    },
    packets: (sessionId) => packetStore.packets({ sessionId }).map((p) => ({ id: p.id, roomId: p.roomId, state: p.state })),
  })
  services.kioskSync = new KioskSync(
    db,
    new KioskRecordStore(db),
    log,
    services.refusals,
    clock,
    {
      session: (id) => sessionInfo.session(id),
      rooms: roomsStore,
      liveTicketsOfSession: (id) => ticketStore.liveOfSession(id),
      ticket: (number) => ticketStore.byNumber(number),
      candidateName: (id) => candidateStore.names([id]).get(id) ?? null,
      candidatePhoto: (id) => candidateStore.holderPhoto(id),
      userName: (id) => services.accounts.get(id)?.displayName ?? null,
      userActive: (id) => {
        const u = services.accounts.get(id)
        return u && !u.disabled ? { roles: u.roles } : null
      },
      keysForSession: (id) => services.ticketKeys.keysForSession(id),
      revocations: (id) => {
        const r = services.tickets.revocations(id)
        return r.ok ? { note: r.value.note, numbers: r.value.revoked.map((t) => t.number) } : null
      },
      packets: (sessionId) => packetStore.packets({ sessionId }),
      paper: (id) => facts.paper(id),
      scoreItems: (sessionId) => {
        const s = sessionInfo.session(sessionId)
        const subject = s?.subjectKind === 'practical' ? occupationStore.subject(s.subjectId)?.subject : undefined
        return subject ? [{ id: subject.id, name: subject.name, max: subject.maxMark }] : []
      },
      device: (id) => services.kioskDevices.device(id),
      verifyRecordSignature: (device, record) => services.kioskDevices.verifyRecordSignature(device, record),
    },
    services.custody,
    // The confirmation tokens' HMAC key, derived from the first ticket key's private half (kept in the data folder).
    createHmac('sha256', deps.ticketKey.privateKey).update('custody/kiosk-confirmation-key/v1').digest(),
  )
  for (const [kind, handler] of Object.entries(services.kioskRoom.handlers)) services.kioskSync.register(kind, handler)
  services.kioskRoom.useDoorFacts(services.kioskSync.doorFacts())
  services.kioskSync.onStored((sessionId) => services.kioskRoom.events.emit(sessionId))

  // Scores to certificates (issue 10): each service reads the others through a small port of plain functions.
  services.scores = new Scores(db, new ScoreStore(db), new ScoreFacts(db), sqlKioskScoreFacts(db), log, clock)
  services.results = new Results(db, log, clock, () => services.lifecycle.calendar.calendar(), services.scores)
  const certificateStore = new CertificateStore(db)
  const certificateKeys = new CertificateKeys(db, certificateStore, log, clock, deps.certificateKeys ?? [], deps.saveCertificateKey)
  certificateKeys.start()
  const approved = (c: { status: string }) => c.status === 'approved'
  services.certificates = new Certificates(
    db,
    certificateStore,
    certificateKeys,
    {
      batch: (id) => {
        const b = batchStore.byId(id)
        if (!b) return null
        const occupationName = occupationStore.byCode(b.occupationCode)?.name ?? b.occupationCode
        return { id: b.id, title: b.title, occupationCode: b.occupationCode, occupationName, level: b.level, examEndDate: b.examEndDate }
      },
      candidates: (batchId) =>
        candidateStore
          .ofBatch(batchId)
          .filter(approved)
          .map((c) => ({ id: c.id, name: c.name, residentId: c.residentId })),
      candidate: (id) => {
        const c = candidateStore.byId(id)
        return c ? { id: c.id, batchId: c.batchId, name: c.name, residentId: c.residentId } : null
      },
      subjects: (batchId, candidateId) =>
        services.results
          .publishedResults(batchId)
          ?.find((c) => c.candidateId === candidateId)
          ?.subjects.map((x) => ({ subjectId: x.subjectId, result: x.status })) ?? [],
      publication: (batchId) => services.results.publication(batchId),
      openReviewIds: (batchId, candidateId) => services.results.openReviewIds(batchId, candidateId),
      bodyName: () => candidateStore.setting('body_name'),
      saveBodyName: (name) => candidateStore.saveSetting('body_name', name),
    },
    log,
    clock,
  )
  services.statistics = new Statistics(new StatisticsReads(db), {
    passedCandidates: (batchId) => services.results.passedCandidates(batchId),
    certifiedCandidates: (batchId) => services.certificates.certifiedCandidates(batchId),
  })

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

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        // 'wasm-unsafe-eval' lets a page compile WebAssembly (the camera's QR reader, served from here); it allows
        // no eval() of JavaScript.
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        mediaSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
      xFrameOptions: 'DENY',
      xContentTypeOptions: 'nosniff',
      referrerPolicy: 'same-origin',
      permissionsPolicy: { camera: ['self'], microphone: [], geolocation: [] },
    }),
  )
  app.use('*', async (c, next) => {
    c.set('services', services)
    return next()
  })
  // What a tablet downloads before its first screen, and the room package, go gzipped (issue 9 measures both).
  app.use('/assets/*', compress())
  app.use('/api/kiosk/package', compress())
  app.use('/api/*', noStore)
  const jsonLimit = jsonBodyLimit(deps.jsonBodyLimit ?? 1024 * 1024)
  app.use('/api/*', (c, next) => (isLifecycleUpload(c.req.path) || isPaperUpload(c.req.path) || isKioskSync(c.req.path) ? next() : jsonLimit(c, next))) // uploads set their own limits (lifecycleRoutes; the paper upload streams, papersRoutes)
  const publicOrigins = deps.publicOrigins ?? localOrigins(8080)
  app.use(
    '/api/*',
    originCheck(() => [...(typeof publicOrigins === 'function' ? publicOrigins() : publicOrigins), ...(deps.trustedOrigins ?? [])]),
  )
  app.use(
    '/api/*',
    jsonOnly((path) => isCsvImport(path) || isPaperUpload(path)),
  )
  app.use('/api/*', loadPrincipal)
  app.use('/api/*', writesNeedHealthyLog)

  sessionRoutes(app, routes)
  userRoutes(app, routes)
  lifecycleRoutes(app, routes)
  roomRoutes(app, routes)
  ticketRoutes(app, routes)
  ticketPrintRoutes(app)
  packetRoutes(app, routes)
  leakRoutes(app, routes)
  custodyReportRoutes(app, routes)
  papersRoutes(app, routes)
  keyCeremonyRoutes(app, routes)
  doorDrillRoutes(app, routes)
  kioskDeviceRoutes(app, routes)
  ticketKeyRoutes(app, routes)
  kioskRoomRoutes(app, routes)
  kioskRoutes(app, routes)
  scoresRoutes(app, routes)
  resultsRoutes(app, routes)
  certificateRoutes(app, routes)
  statisticsRoutes(app, routes)
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

  return {
    app,
    services,
    routes,
    close: () => {
      services.witnesses.stop()
      db.close()
    },
  }
}
