/**
 * An app with the demo loaded the way `npm start` loads it into a new data folder: the demo clock held at the
 * finished batch's first day, moved through its history, then released to a fixed "now" (2026-12-04 10:00 CST).
 */
import { createDemoClock, type DemoClock } from '../server/demo/clock.ts'
import { type FinishedBatch, finishedBatchStart, loadFinishedBatch } from '../server/demo/finished-batch.ts'
import { type FinishedResults, loadFinishedResults } from '../server/demo/finished-results.ts'
import { DEMO_PASSWORD, DEMO_USERS, loadDemo } from '../server/demo.ts'
import { type TestApp, makeTestApp } from './_app.ts'

export const FINISHED_NOW = Date.parse('2026-12-04T02:00:00Z') // 10:00 CST

export interface FinishedBatchApp {
  app: TestApp
  clock: DemoClock
  batch: FinishedBatch
  /** Set when the fixture also ran the steps after the exam (`withResults`). */
  results?: FinishedResults
}

/**
 * The finished batch alone (demo users, then the batch), the clock released to `now` afterwards; the app's own
 * `app.clock.now` is what the released clock reads, so tests can still move time on.
 */
export async function finishedBatchApp(now = FINISHED_NOW, withResults = false): Promise<FinishedBatchApp> {
  let app: TestApp | null = null
  const clock = createDemoClock(finishedBatchStart(now), () => app!.clock.now)
  app = makeTestApp({ clock })
  app.clock.now = now
  for (const u of DEMO_USERS) {
    const r = await app.services.accounts.create({ system: 'demo-loader' }, { ...u, password: DEMO_PASSWORD }, { demo: true })
    if (!r.ok) throw new Error(`demo user ${u.username}: ${r.error.code}`)
  }
  const batch = await loadFinishedBatch(app.services, clock)
  const results = withResults ? await loadFinishedResults(app.services, clock, batch) : undefined
  clock.release()
  return { app, clock, batch, ...(results ? { results } : {}) }
}

/** The whole demo (finished batch first, then today's and tomorrow's parts), as `npm start` loads it. */
export async function wholeDemoApp(now = FINISHED_NOW): Promise<{ app: TestApp; clock: DemoClock }> {
  let app: TestApp | null = null
  const clock = createDemoClock(finishedBatchStart(now), () => app!.clock.now)
  app = makeTestApp({ clock })
  app.clock.now = now
  await loadDemo(app.services, clock)
  return { app, clock }
}
