/**
 * State changes committed with their custody events, per second, on a FILE database
 * (WAL, synchronous=FULL, as server/db/_database.ts opens it). The change is
 * `services.accounts.update(...)`: a user's display name (a users row), its 'user.updated' event
 * (a log_entries row and index entry) and its Merkle nodes, in one BEGIN IMMEDIATE transaction.
 * Baseline, same run, same file system: raw bun:sqlite single-row INSERTs, each its own transaction,
 * same pragmas. The two alternate in rounds so a noisy disk hurts both alike.
 * Target: at least 1/2 of the raw rate. Run alone: `bun bench/log-append.ts [SECONDS_PER_ROUND]`.
 */
import { Database } from 'bun:sqlite'
import { join } from 'node:path'
import { createApp } from '../server/app.ts'
import { TEST_SCRYPT } from '../server/auth/_password.ts'
import { benchKeys, runFor, withTempDir } from './_fixtures.ts'
import { type Benchmark, type Row, fmt, formatTable, row } from './_report.ts'

const BENCH = 'append'
const ROUNDS = 3

/** The raw loop: a ~330-byte row (an event's size) per INSERT, autocommit = one transaction per row. */
function rawInserts(path: string, ms: number): { ops: number; seconds: number } {
  const db = new Database(path, { create: true, strict: true })
  try {
    db.run('PRAGMA journal_mode = WAL')
    db.run('PRAGMA synchronous = FULL')
    db.run('CREATE TABLE IF NOT EXISTS raw (id INTEGER PRIMARY KEY, body BLOB NOT NULL)')
    const insert = db.query<unknown, [Uint8Array]>('INSERT INTO raw (body) VALUES (?)')
    const body = new Uint8Array(330).fill(0x61)
    return runFor(ms, () => {
      insert.run(body)
    })
  } finally {
    db.close()
  }
}

export async function benchLogAppend(progress: (m: string) => void = () => {}, secondsPerRound = 2): Promise<Row[]> {
  return withTempDir('append', async (dir) => {
    // The app, as server/main.ts builds it, on a file in the temp folder; TEST_SCRYPT only speeds up the set-up.
    const custody = createApp({ db: join(dir, 'custody.db'), ...benchKeys(), scrypt: TEST_SCRYPT })
    try {
      const { accounts, log, db } = custody.services
      const admin = await accounts.bootstrapAdmin('bench admin password', { system: 'bench' })
      const made = await accounts.create(
        { system: 'bench' },
        { username: 'zhang.wei', displayName: '张伟', roles: ['custodian'], password: 'bench user password' },
      )
      if (!made.ok) throw new Error(`bench user: ${made.error.code}`)
      const target = made.value.id
      const actor = { user: admin.id, name: admin.username, roles: ['admin'] }
      const pragmas = `journal_mode=${db.query<{ journal_mode: string }, []>('PRAGMA journal_mode').get()!.journal_mode}, synchronous=${db.query<{ synchronous: number }, []>('PRAGMA synchronous').get()!.synchronous}`
      if (pragmas !== 'journal_mode=wal, synchronous=2') throw new Error(`the app's database is not WAL + FULL: ${pragmas}`)

      const update = (i: number) => {
        const r = accounts.update(actor, target, { displayName: `张伟 ${i}` })
        if (!r.ok) throw new Error(`update refused: ${r.error.code}`)
      }
      // Warm-up: prepared statements, JIT, the WAL file's first pages.
      runFor(300, update)
      rawInserts(join(dir, 'raw.db'), 300)

      const app = { ops: 0, seconds: 0 }
      const raw = { ops: 0, seconds: 0 }
      const before = log.size()
      for (let round = 0; round < ROUNDS; round++) {
        const r = rawInserts(join(dir, 'raw.db'), secondsPerRound * 1000)
        raw.ops += r.ops
        raw.seconds += r.seconds
        const a = runFor(secondsPerRound * 1000, update)
        app.ops += a.ops
        app.seconds += a.seconds
        progress(`  round ${round + 1}/${ROUNDS}: raw ${fmt(r.ops / r.seconds)}/s, app ${fmt(a.ops / a.seconds)}/s`)
      }
      const logged = log.size() - before
      if (logged < app.ops) throw new Error(`${app.ops} updates but only ${logged} events were logged`)
      const appRate = app.ops / app.seconds
      const rawRate = raw.ops / raw.seconds
      return [
        row({
          bench: BENCH,
          name: 'log append: user update + event (file, WAL, FULL)',
          figure: appRate,
          unit: 'commits/s',
          baseline: { name: 'raw single-row INSERT commits', value: rawRate },
          targets: [{ ratioAtLeast: 0.5 }],
          notes: [
            `accounts.update (display name) = users UPDATE + log_entries INSERT + Merkle nodes, one BEGIN IMMEDIATE transaction; ${app.ops.toLocaleString('en')} commits in ${fmt(app.seconds)} s`,
            `mean ${fmt(1e6 / appRate)} µs per change vs ${fmt(1e6 / rawRate)} µs per raw commit; ${ROUNDS} alternating rounds of ${secondsPerRound} s, ${pragmas} on ${dir.split('/').slice(0, -1).join('/') || '/'}`,
          ],
        }),
      ]
    } finally {
      custody.close()
    }
  })
}

export const logAppendBenchmark: Benchmark = { name: BENCH, title: 'custody log append on a file database', run: (p) => benchLogAppend(p) }

if (import.meta.main) {
  console.log(formatTable(await benchLogAppend(console.log, Number(process.argv[2] ?? 2))))
}
