/**
 * A world for the paper tests: the lifecycle fixture's batch (theory session 2026-12-12 09:00 CST), three
 * theory rooms attached through the API, optionally seated candidates, and the people of the print flow:
 * two custodians, a supervisor, an administrator. The app's paper blob store is in memory and reachable.
 */
import type { AppDeps } from '../server/app.ts'
import type { Role } from '../server/domain/accounts/index.ts'
import { MemoryPaperBlobStore } from '../server/paper-blobs.ts'
import type { Person } from '../server/services/index.ts'
import { ORIGIN, type TestApp, makeTestApp } from './_app.ts'
import { THEORY_START, addCandidates, attach, makeRooms, seedLifecycle } from './_rooms-fixture.ts'

export { THEORY_START }
/** Two hours before the theory session: inside the default window (24 h to 1 h before). */
export const IN_WINDOW = THEORY_START - 2 * 3600_000

/** A person of the world; custodians who hold a key share also have their share passphrase (008). */
export interface Who {
  cookie: string
  id: string
  username: string
  person: Person
  passphrase: string
}

/** The share passphrases of the world's three custodians: the paper key is dealt 2 of 3 to them. */
export const PASSPHRASES = { keeper1: 'keeper one share phrase', keeper2: 'keeper two share phrase', keeper3: 'keeper three share phrase' } as const

export interface PapersWorld {
  app: TestApp
  blobs: MemoryPaperBlobStore
  batchId: string
  sessions: { theory: string; practical: string }
  rooms: Record<string, string>
  custodian: Who
  custodian2: Who
  /** The third share holder (2 of 3). */
  custodian3: Who
  supervisor: Who
  admin: Who
  registrar: Who
}

type RoomSpec = { name: string; kind: 'theory' | 'practical' | 'nonstandard'; capacity: number }
const THREE: RoomSpec[] = [
  { name: '101', kind: 'theory', capacity: 30 },
  { name: '102', kind: 'theory', capacity: 30 },
  { name: '103', kind: 'theory', capacity: 30 },
]

async function who(app: TestApp, roles: Role[], username: string): Promise<Who> {
  const u = await app.userWith(roles, username)
  return { ...u, person: { user: u.id, name: username, roles }, passphrase: (PASSPHRASES as Record<string, string>)[username] ?? '' }
}

/**
 * `legacy: true` keeps the data folder's plain master key (003) and runs no key ceremony; otherwise the
 * administrator deals the paper key 2 of 3 to the three custodians, each registering their own passphrase (008).
 */
export async function papersWorld(opts: { seated?: number; rooms?: RoomSpec[]; deps?: Partial<AppDeps>; legacy?: boolean } = {}): Promise<PapersWorld> {
  const blobs = new MemoryPaperBlobStore()
  const app = makeTestApp({ paperBlobs: blobs, ...opts.deps })
  const registrar = await who(app, ['registrar'], 'registrar1')
  const f = seedLifecycle(app)
  const made = await makeRooms(app, registrar.cookie, opts.rooms ?? THREE)
  await attach(app, registrar.cookie, f.sessions.theory, Object.values(made.rooms))
  if (opts.seated) {
    addCandidates(app, f.batchId, opts.seated)
    const res = await app.call('POST', `/api/sessions/${f.sessions.theory}/seating`, { cookie: registrar.cookie, body: { seed: 'papers' } })
    if (res.status !== 200) throw new Error(`seating: ${res.status} ${await res.text()}`)
  }
  const w: PapersWorld = {
    app,
    blobs,
    batchId: f.batchId,
    sessions: f.sessions,
    rooms: made.rooms,
    registrar,
    custodian: await who(app, ['custodian'], 'keeper1'),
    custodian2: await who(app, ['custodian'], 'keeper2'),
    custodian3: await who(app, ['custodian'], 'keeper3'),
    supervisor: await who(app, ['supervisor'], 'overseer'),
    admin: await who(app, ['admin'], 'root1'),
  }
  if (!opts.legacy) await dealKey(w)
  return w
}

/** The key ceremony of the world: 2 of 3 to keeper1..3, started by the administrator (008). */
export async function dealKey(w: PapersWorld, holders: Who[] = [w.custodian, w.custodian2, w.custodian3], threshold = 2): Promise<void> {
  const k = w.app.services.keyCeremonies
  const started = k.start(w.admin.person, { holders: holders.map((h) => h.id), threshold })
  if (!started.ok) throw new Error(`key ceremony: ${JSON.stringify(started.error)}`)
  for (const h of holders) {
    const r = await k.register(h.person, h.passphrase)
    if (!r.ok) throw new Error(`share passphrase of ${h.username}: ${JSON.stringify(r.error)}`)
  }
}

/** POST approve with the custodian's share passphrase. */
export function approveAs(w: PapersWorld, who: Who, jobId: string): Promise<Response> {
  return w.app.call('POST', `/api/print-jobs/${jobId}/approve`, { cookie: who.cookie, body: { passphrase: who.passphrase } })
}

/** PUT /api/papers/{id}/file with raw bytes (TestApp.call sends JSON). */
export function putFile(
  app: TestApp,
  cookie: string,
  paperId: string,
  body: Uint8Array | ReadableStream<Uint8Array> | null,
  headers: Record<string, string> = {},
): Promise<Response> {
  return Promise.resolve(
    app.app.request(`${ORIGIN}/api/papers/${paperId}/file`, {
      method: 'PUT',
      headers: { Origin: ORIGIN, Cookie: cookie, 'Content-Type': 'application/pdf', ...headers },
      body: body as BodyInit | null,
    }),
  )
}

/** A recognisable "PDF" of n bytes: a header, then a pattern that would show through a bad encryption. */
export function fakePdf(n: number, marker = 'CONFIDENTIAL-EXAM-TEXT'): Uint8Array {
  const out = new Uint8Array(n)
  const pattern = new TextEncoder().encode(`%PDF-1.4 ${marker} `)
  for (let i = 0; i < n; i++) out[i] = pattern[i % pattern.length]!
  return out
}

export const contains = (hay: Uint8Array, needle: Uint8Array): boolean => Buffer.from(hay).indexOf(Buffer.from(needle)) >= 0

/** Moves the clock (weeks, to the exam) and logs everyone in again: a login lasts 12 hours. */
export async function moveTo(w: PapersWorld, when: number): Promise<void> {
  w.app.clock.now = when
  for (const who of [w.custodian, w.custodian2, w.custodian3, w.supervisor, w.admin, w.registrar]) who.cookie = await w.app.login(who.username)
}
