/**
 * `npm run bench` — every benchmark, or those named: `npm run bench -- append http`.
 * Each prints its figures with a baseline measured in the same run and the ratio between them; the
 * final table is printed and written to .bench/results.json. Speed is never asserted: a missed
 * target is reported (met? NO), and the exit code is 1 only when a benchmark could not run.
 * Later issues add their benchmarks to BENCHMARKS (paper encryption vs `openssl speed`, ticket signing).
 */
import { spawn } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from './_fixtures.ts'
import { type Benchmark, type Row, failedRow, fmt, formatTable, machine, row, writeJson } from './_report.ts'
import { httpBenchmark } from './http.ts'
import { inclusionProofBenchmark } from './inclusion-proof.ts'
import { kioskBenchmark } from './kiosk.ts'
import { logAppendBenchmark } from './log-append.ts'
import { paperCryptoBenchmark } from './paper-crypto.ts'
import { benchSeating } from './seating.ts'
import { benchTickets } from './tickets.ts'
import { startupBenchmark } from './startup.ts'
import { verifyExportBenchmark } from './verify-export.ts'

/** bench/seating.ts reports seconds and a note; its sort baseline is read back from the note when present. */
const seatingBenchmark: Benchmark = {
  name: 'seating',
  title: 'seat 1M candidates into ~35,000 rooms',
  async run() {
    const r = await benchSeating()
    const sort = /plain sort by id \((\d+(?:\.\d+)?) s\)/.exec(r.note)
    return [
      row({
        bench: 'seating',
        name: 'seating: 1M candidates into 35,000 rooms',
        figure: r.seconds,
        unit: 's',
        ...(sort ? { baseline: { name: 'plain sort by id', value: Number(sort[1]) } } : {}),
        targets: [{ below: 10 }],
        notes: [r.note],
      }),
    ]
  },
}

/** bench/tickets.ts: 1M tickets signed natively; the baseline is noble's pure-JS Ed25519, extrapolated from a sample. */
const ticketsBenchmark: Benchmark = {
  name: 'tickets',
  title: 'sign 1M admission tickets (native Ed25519 vs noble)',
  async run() {
    const r = await benchTickets()
    const noble = /noble pure JS (\d+(?:\.\d+)?) s/.exec(r.note)
    return [
      row({
        bench: 'tickets',
        name: 'tickets: sign 1M (native Ed25519)',
        figure: r.seconds,
        unit: 's',
        ...(noble ? { baseline: { name: 'noble Ed25519, extrapolated', value: Number(noble[1]) } } : {}),
        targets: [{ below: 60 }],
        notes: [r.note],
      }),
    ]
  },
}

export const BENCHMARKS: readonly Benchmark[] = [
  logAppendBenchmark,
  verifyExportBenchmark,
  inclusionProofBenchmark,
  startupBenchmark,
  httpBenchmark,
  seatingBenchmark,
  ticketsBenchmark,
  paperCryptoBenchmark,
  kioskBenchmark,
]

export const RESULTS = join(ROOT, '.bench', 'results.json')

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(`usage: npm run bench [-- NAME ...]\n${BENCHMARKS.map((b) => `  ${b.name.padEnd(8)} ${b.title}`).join('\n')}`)
    return 0
  }
  const unknown = argv.filter((a) => !BENCHMARKS.some((b) => b.name === a))
  if (unknown.length > 0) {
    console.error(`unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`)
    return 2
  }
  const chosen = argv.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => argv.includes(b.name))
  const m = machine()
  console.log(`custody benchmarks — ${m.date}, ${m.cpu}, ${m.cores} cores, bun ${m.bun}`)
  const rows: Row[] = []
  const t0 = performance.now()
  let crashed = false
  for (const b of chosen) {
    console.log(`\n== ${b.name}: ${b.title}`)
    const s0 = performance.now()
    try {
      rows.push(...(await runIsolated(b.name)))
    } catch (err) {
      crashed = true
      console.error(`${b.name} failed:`, err)
      rows.push(failedRow(b.name, err))
    }
    console.log(`   (${fmt((performance.now() - s0) / 1000)} s)`)
  }
  const seconds = (performance.now() - t0) / 1000
  console.log(`\n${formatTable(rows)}\n\ntotal ${fmt(seconds)} s; written to ${RESULTS}`)
  writeJson(RESULTS, rows, { benchmarks: chosen.map((b) => b.name), seconds })
  return crashed ? 1 : 0
}

/**
 * Runs one benchmark in a fresh process, so that no benchmark is charged for another's heap: the
 * peak-memory figures (paper crypto, verify) are the process's own, and one benchmark's garbage
 * collection does not land in the next one's timings.
 */
function runIsolated(name: string): Promise<Row[]> {
  const out = join(tmpdir(), `custody-bench-${process.pid}-${name}.json`)
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [import.meta.path, '--child', name, out], { stdio: 'inherit' })
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      try {
        if (code !== 0) throw new Error(`the ${name} benchmark exited with ${signal ?? code}`)
        resolve(JSON.parse(readFileSync(out, 'utf8')) as Row[])
      } catch (err) {
        reject(err)
      } finally {
        rmSync(out, { force: true })
      }
    })
  })
}

/** The child's side of runIsolated: runs the named benchmark and writes its rows to `out`. */
async function child(name: string, out: string): Promise<number> {
  const b = BENCHMARKS.find((x) => x.name === name)
  if (!b) return 2
  const rows = await b.run((msg) => console.log(msg))
  await Bun.write(out, JSON.stringify(rows))
  return 0
}

if (import.meta.main) {
  const argv = process.argv.slice(2)
  process.exitCode = argv[0] === '--child' ? await child(argv[1]!, argv[2]!) : await main(argv)
}
