/**
 * Inclusion proofs in a 1,000,000-entry log. The log is built through the real store path
 * (CustodyLog.append inside transactions of 10,000 events, on a file database) with
 * synchronous=OFF during the set-up only, for speed: durability is not what is measured here.
 * Then `log.inclusionProof(i, size)` is timed for 2,000 random i (mean, p99) on a freshly opened
 * app. Baseline, same run, same database: one primary-key SELECT of an entry (LogStore.entry).
 * Target: under 1 ms per proof. Also reported: the whole check in line (no mark) of the 1M log.
 * Run alone: `bun bench/inclusion-proof.ts [ENTRIES]`.
 */
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { rootAt, verifyInclusion } from '../audit/index.ts'
import { createApp } from '../server/app.ts'
import { T0, benchKeys, countLabel, mean, percentile, seeded, withTempDir } from './_fixtures.ts'
import { buildSyntheticLog } from './_log-builder.ts'
import { type Benchmark, type Row, fmt, formatTable, row } from './_report.ts'

const BENCH = 'proof'
const ENTRIES = 1_000_000
const PROOFS = 2_000
const BATCH = 10_000

function timeEach(n: number, rand: (n: number) => number, size: number, f: (i: number) => void): number[] {
  const out: number[] = []
  for (let k = 0; k < n; k++) {
    const i = rand(size)
    const t0 = performance.now()
    f(i)
    out.push(performance.now() - t0)
  }
  return out.sort((a, b) => a - b)
}

export async function benchInclusionProof(progress: (m: string) => void = () => {}, entries = ENTRIES): Promise<Row[]> {
  return withTempDir('proof', async (dir) => {
    const path = join(dir, 'custody.db')
    const clock = { now: T0 }
    const keys = benchKeys()

    const { seconds: buildSeconds } = buildSyntheticLog(path, entries, clock, { seed: 99, every: 200_000, progress })
    const mib = statSync(path).size / 2 ** 20

    // Reopen without a mark: createApp checks the whole log in line (the server with a mark: bench/startup.ts).
    const o0 = performance.now()
    const custody = createApp({ db: path, ...keys, clock: () => clock.now })
    const openSeconds = (performance.now() - o0) / 1000
    try {
      const { log } = custody.services
      if (log.damaged) throw new Error(`the built log does not verify: ${log.damaged}`)
      const size = log.size()
      if (size !== entries) throw new Error(`expected ${entries} entries, the log has ${size}`)
      progress(`  built in ${fmt(buildSeconds)} s (${fmt(mib)} MiB); reopening with the start-up check took ${fmt(openSeconds)} s`)

      // The proofs are real: check a few against the root before timing.
      const root = rootAt({ node: (l, i) => log.store.node(l, i)! }, size)
      const check = seeded(7)
      for (let k = 0; k < 20; k++) {
        const i = check(size)
        verifyInclusion(log.store.entry(i)!.leaf, i, size, log.inclusionProof(i, size), root)
      }

      // Garbage from the build and the start-up check is collected first, so that it does not land in the sample.
      Bun.gc(true)
      const warm = seeded(1)
      timeEach(200, warm, size, (i) => log.inclusionProof(i, size))
      timeEach(200, warm, size, (i) => log.store.entry(i))
      const proofs = timeEach(PROOFS, seeded(2), size, (i) => log.inclusionProof(i, size))
      const selects = timeEach(PROOFS, seeded(2), size, (i) => log.store.entry(i))
      const lengths = seeded(3)
      const proofLength = mean(Array.from({ length: 100 }, () => log.inclusionProof(lengths(size), size).length))
      const r0 = performance.now()
      let scanned = 0
      for (const e of log.store.iterate(0, size)) scanned += e.bytes.length > 0 ? 1 : 0
      const scanSeconds = (performance.now() - r0) / 1000
      if (scanned !== size) throw new Error(`read ${scanned} entries of ${size}`)

      const label = countLabel(entries)
      const m = mean(proofs)
      const p99 = percentile(proofs, 99)
      const sel = mean(selects)
      progress(`  proof mean ${fmt(m * 1000)} µs, p99 ${fmt(p99 * 1000)} µs; PK SELECT mean ${fmt(sel * 1000)} µs`)
      return [
        row({
          bench: BENCH,
          name: `inclusion proof in ${label}-entry log: mean`,
          figure: m,
          unit: 'ms',
          baseline: { name: 'one PK SELECT of an entry', value: sel },
          targets: [{ below: 1 }],
          notes: [
            `${PROOFS.toLocaleString('en')} random indices, log.inclusionProof(i, ${size.toLocaleString('en')}), ${fmt(proofLength)} hashes on average; log built in ${fmt(buildSeconds)} s (${fmt(entries / buildSeconds)} appends/s, synchronous=OFF, ${BATCH.toLocaleString('en')} per transaction), ${fmt(mib)} MiB`,
          ],
        }),
        row({
          bench: BENCH,
          name: `inclusion proof in ${label}-entry log: p99`,
          figure: p99,
          unit: 'ms',
          baseline: { name: 'PK SELECT p99', value: percentile(selects, 99) },
          targets: [{ below: 1 }],
        }),
        row({
          bench: BENCH,
          name: `whole check in line (no mark) of a ${label}-entry log`,
          figure: openSeconds,
          unit: 's',
          baseline: { name: 'reading every entry (LogStore.iterate)', value: scanSeconds },
          notes: [
            'createApp without a mark → checkWholeLog: every leaf hash, the hash chain, the Merkle nodes and the last checkpoint, before createApp returns (a first start, or one whose log-verified.json is gone)',
          ],
        }),
      ]
    } finally {
      custody.close()
    }
  })
}

export const inclusionProofBenchmark: Benchmark = { name: BENCH, title: 'inclusion proofs in a 1M-entry log', run: (p) => benchInclusionProof(p) }

if (import.meta.main) {
  console.log(formatTable(await benchInclusionProof(console.log, Number(process.argv[2] ?? ENTRIES))))
}
