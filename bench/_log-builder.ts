/**
 * Builds a file log of `entries` synthetic events through the real store path (CustodyLog.append inside
 * transactions of 10,000 events), synchronous=OFF during the build only: durability is not what the
 * benchmarks that use it measure. Ends with a signed checkpoint; returns the mark that checkpoint recorded.
 */
import { createApp } from '../server/app.ts'
import type { VerifiedMark } from '../server/services/index.ts'
import { benchKeys, seeded, syntheticDraft } from './_fixtures.ts'
import { fmt } from './_report.ts'

const BATCH = 10_000

export function buildSyntheticLog(
  path: string,
  entries: number,
  clock: { now: number },
  opts: { seed: number; every: number; progress: (m: string) => void },
): { mark: VerifiedMark; seconds: number } {
  const b0 = performance.now()
  let mark: VerifiedMark | null = null
  opts.progress(`building a ${entries.toLocaleString('en')}-entry log through CustodyLog.append (synchronous=OFF for the set-up)…`)
  const builder = createApp({ db: path, ...benchKeys(), clock: () => clock.now, logMarks: { save: (m) => void (mark = m) } })
  try {
    const { db, log } = builder.services
    db.run('PRAGMA synchronous = OFF')
    const rand = seeded(opts.seed)
    const append = db.transaction((n: number) => {
      for (let k = 0; k < n; k++) {
        clock.now += 1000
        log.append(syntheticDraft(rand))
      }
    })
    for (let done = 0; done < entries; done += BATCH) {
      append.immediate(Math.min(BATCH, entries - done))
      if ((done + BATCH) % opts.every === 0) opts.progress(`  ${(done + BATCH).toLocaleString('en')} entries, ${fmt((performance.now() - b0) / 1000)} s`)
    }
    log.signCheckpoint()
  } finally {
    builder.close()
  }
  const built = mark as VerifiedMark | null
  if (!built || built.size !== entries) throw new Error('the build recorded no mark at its size')
  return { mark: built, seconds: (performance.now() - b0) / 1000 }
}
