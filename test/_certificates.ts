/** Certificates fixtures: the service on a test app's database, with a fake sources port the test can change. */
import type { LogEvent } from '../audit/index.ts'
import { ed25519 } from '../crypto/index.ts'
import { CertificateStore } from '../server/db/certificate-store.ts'
import type { Person } from '../server/services/_acting.ts'
import { CERTIFICATE_KEY_NAME, type CertificateKeys } from '../server/services/certificate-keys.ts'
import { type CertificateSources, Certificates } from '../server/services/certificates.ts'
import type { LogSigningKey } from '../server/services/index.ts'
import { type TestApp, makeTestApp } from './_app.ts'

export type SubjectResult = 'passed' | 'failed' | 'absent' | 'disqualified' | 'pending'

/** A world the sources port answers from: batches, their approved candidates, published results, open reviews. */
export interface World {
  batches: Map<string, { id: string; title: string; occupationCode: string; occupationName: string; level: number; examEndDate: string }>
  candidates: Map<string, { id: string; batchId: string; name: string | null; residentId: string | null }>
  subjects: Map<string, Array<{ subjectId: string; result: SubjectResult }>>
  publications: Map<string, { publishedOn: string; lastDay: string }>
  reviews: Map<string, string[]>
  /** settings.body_name; null while an administrator has not set it. */
  bodyName: string | null
}

export function fakeSources(w: World): CertificateSources {
  return {
    batch: (id) => w.batches.get(id) ?? null,
    candidates: (batchId) => [...w.candidates.values()].filter((c) => c.batchId === batchId),
    candidate: (id) => w.candidates.get(id) ?? null,
    subjects: (_b, c) => w.subjects.get(c) ?? [],
    publication: (b) => w.publications.get(b) ?? null,
    openReviewIds: (_b, c) => w.reviews.get(c) ?? [],
    bodyName: () => w.bodyName,
    saveBodyName: (name) => {
      w.bodyName = name
    },
  }
}

/** A batch of 电工 level 4, published 2026-11-10 (last day 2026-11-17), with candidates who passed everything. */
export function world(): World {
  const w: World = {
    batches: new Map(),
    candidates: new Map(),
    subjects: new Map(),
    publications: new Map(),
    reviews: new Map(),
    bodyName: '重庆工业职业技术学院',
  }
  addBatch(w, 'b1', 4)
  addCandidate(w, 'b1', 'c1', '张三', '11010519491231002X')
  addCandidate(w, 'b1', 'c2', '李小明', '500101199001010015')
  return w
}
export function addBatch(w: World, id: string, level: number, publishedOn = '2026-11-10', lastDay = '2026-11-17'): void {
  w.batches.set(id, { id, title: `批次 ${id}`, occupationCode: '6-31-01-03', occupationName: '电工', level, examEndDate: '2026-10-20' })
  w.publications.set(id, { publishedOn, lastDay })
}
export function addCandidate(w: World, batchId: string, id: string, name: string | null, residentId: string | null): void {
  w.candidates.set(id, { id, batchId, name, residentId })
  w.subjects.set(id, [
    { subjectId: 'theory', result: 'passed' },
    { subjectId: 'practical', result: 'passed' },
  ])
}

export const person = (user: string, roles: string[]): Person => ({ user, name: user, roles })
export const ADMIN = person('u-admin', ['admin'])
export const REGISTRAR = person('u-reg', ['registrar'])
export const REGISTRAR2 = person('u-reg2', ['registrar'])
export const SUPERVISOR = person('u-sup', ['supervisor'])
export const BODY = { category: 'S', ministryCode: '0000', provinceCode: '50', sequenceCode: '000001' } as const

export interface CertFixture {
  app: TestApp
  w: World
  certs: Certificates
  keys: CertificateKeys
  store: CertificateStore
  saved: Map<string, LogSigningKey>
  events(from: number): LogEvent[]
}

/**
 * The service on a test app: the app's certificates service if createApp wires one (its key ring reused), else a
 * ring of its own; routes registered unless createApp did. services.certificates is this fixture's service.
 */
export function certFixture(given?: TestApp, w: World = world()): CertFixture {
  // A fixed first key, and rotated keys kept in `saved`, unless the test brings its own app.
  const saved = new Map<string, LogSigningKey>()
  const seed = new Uint8Array(32).fill(0x0c)
  const first = { name: CERTIFICATE_KEY_NAME, privateKey: seed, publicKey: ed25519.publicKey(seed) }
  const app = given ?? makeTestApp({ certificateKeys: [first], saveCertificateKey: (id, k) => saved.set(id, k) })
  const s = app.services
  const store = new CertificateStore(app.services.db)
  const keys = s.certificates.ring
  const certs = new Certificates(app.services.db, store, keys, fakeSources(w), app.services.log, app.services.clock)
  s.certificates = certs
  const events = (from: number) => Array.from({ length: app.services.log.size() - from }, (_, i) => app.services.log.entry(from + i)!.event)
  return { app, w, certs, keys, store, saved, events }
}
