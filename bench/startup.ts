/**
 * The server's start-up with a long log: createApp on a 1M- and a 10M-entry log whose mark (the size and
 * root this server last verified, server/log-mark.ts) is recorded, as after any clean stop or running
 * checkpoint. Baseline, same run, same file: opening the database as the server does (openDatabase:
 * pragmas and the migrations check). The start-up check from the mark reads the entries after it and the
 * O(log n) frontier, so the ratio should not grow with the log. Information: the whole check
 * (checkWholeLog) that then runs in the background, and the old in-line whole check for the 1M log.
 * The logs are built through CustodyLog.append in 10,000-event transactions with synchronous=OFF during
 * the build only. Run alone: `bun bench/startup.ts [ENTRIES ...]`.
 */
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { createApp } from '../server/app.ts'
import { openDatabase } from '../server/db/_database.ts'
import { checkWholeLogInBackground } from '../server/log-check-worker.ts'
import { T0, benchKeys, benchVkey, countLabel, withTempDir } from './_fixtures.ts'
import { buildSyntheticLog } from './_log-builder.ts'
import { type Benchmark, type Row, fmt, formatTable, row } from './_report.ts'

const BENCH = 'startup'
const SIZES = [1_000_000, 10_000_000]
const REPEAT = 5

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function one(entries: number, progress: (m: string) => void): Promise<Row[]> {
  return withTempDir('startup', async (dir) => {
    const path = join(dir, 'custody.db')
    const clock = { now: T0 }
    const keys = benchKeys()
    const { mark, seconds: buildSeconds } = buildSyntheticLog(path, entries, clock, { seed: 41, every: 1_000_000, progress })
    const mib = statSync(path).size / 2 ** 20
    progress(`  built in ${fmt(buildSeconds)} s, ${fmt(mib)} MiB`)

    const opens: number[] = [],
      starts: number[] = []
    for (let k = 0; k < REPEAT; k++) {
      const o0 = performance.now()
      openDatabase(path).close()
      opens.push((performance.now() - o0) / 1000)
      const s0 = performance.now()
      const app = createApp({ db: path, ...keys, clock: () => clock.now, logMark: mark, logMarks: { save: () => {} } })
      starts.push((performance.now() - s0) / 1000)
      const damaged = app.services.log.damaged
      app.close()
      if (damaged) throw new Error(`the built log does not verify: ${damaged}`)
    }
    const empties: number[] = []
    for (let k = 0; k < REPEAT; k++) {
      const e0 = performance.now()
      createApp({ db: ':memory:', ...keys, clock: () => clock.now }).close()
      empties.push((performance.now() - e0) / 1000)
    }
    const open = median(opens),
      start = median(starts),
      empty = median(empties)
    progress(`  start-up from the mark: ${fmt(start * 1000)} ms (median of ${REPEAT}); opening the database: ${fmt(open * 1000)} ms`)

    const w0 = performance.now()
    const whole = await checkWholeLogInBackground({ path, identity: { origin: keys.logKey.name, vkeys: [benchVkey()] }, upTo: entries })
    const wholeSeconds = (performance.now() - w0) / 1000
    if (!whole.ok) throw new Error(`the background check failed: ${whole.reason}`)
    progress(`  the whole check in the background: ${fmt(wholeSeconds)} s`)

    const label = countLabel(entries)
    return [
      row({
        bench: BENCH,
        name: `start-up of a ${label}-entry log (from the mark)`,
        figure: start * 1000,
        unit: 'ms',
        baseline: { name: 'opening the database (openDatabase)', value: open * 1000 },
        notes: [
          `createApp with the recorded mark: checkSinceMark (the entries after the mark, the frontier at it, the signed checkpoint); median of ${REPEAT}; ${fmt(mib)} MiB database. createApp on an empty in-memory log takes ${fmt(empty * 1000)} ms (routes, OpenAPI schemas): most of the figure, and the same for any log size`,
        ],
      }),
      row({
        bench: BENCH,
        name: `whole check of a ${label}-entry log (background)`,
        figure: wholeSeconds,
        unit: 's',
        notes: [
          'checkWholeLog in a worker thread on a read-only connection, while the server already serves: every leaf, link, Merkle node and the checkpoint',
        ],
      }),
    ]
  })
}

export async function benchStartup(progress: (m: string) => void = () => {}, sizes = SIZES): Promise<Row[]> {
  const rows: Row[] = []
  for (const n of sizes) rows.push(...(await one(n, progress)))
  return rows
}

export const startupBenchmark: Benchmark = {
  name: BENCH,
  title: 'start-up with a 1M and a 10M log (from the mark) vs opening the database',
  run: (p) => benchStartup(p),
}

if (import.meta.main) {
  const sizes = process.argv.slice(2).map(Number)
  console.log(formatTable(await benchStartup(console.log, sizes.length > 0 ? sizes : SIZES)))
}
