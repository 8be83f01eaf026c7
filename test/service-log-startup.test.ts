import { describe, expect, test } from 'vitest'
import fc from 'fast-check'
import { Database } from 'bun:sqlite'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '../server/app.ts'
import { TEST_SCRYPT } from '../server/auth/_password.ts'
import { LogStore } from '../server/db/log-store.ts'
import { MarkFile } from '../server/log-mark.ts'
import { checkWholeLogInBackground } from '../server/log-check-worker.ts'
import { type StoredLog, type VerifiedMark, checkSinceMark, checkWholeLog } from '../server/services/log-check.ts'
import { testLogKey } from './_app.ts'

/**
 * The start-up check begins at the mark this server recorded (the size and root it last verified or signed):
 * what follows the mark is checked before the server listens, the whole log in the background.
 */
const deps = { logKey: testLogKey(), ticketKey: testLogKey(2), scrypt: TEST_SCRYPT }
const id = { origin: deps.logKey.name, vkeys: [] as string[] }

function logOf(n: number, db = new Database(':memory:')): { db: Database; marks: VerifiedMark[] } {
  const marks: VerifiedMark[] = []
  const app = createApp({ ...deps, db, logMarks: { save: (m) => marks.push(m) } })
  id.vkeys = app.services.log.vkeys()
  for (let i = 0; i < n; i++) {
    db.transaction(() =>
      app.services.log.append({ actor: { system: 'test' }, action: 'test.event', subject: { type: 'thing', id: `t${i}` }, data: { i } }),
    ).immediate()
    if (i === Math.floor(n / 3)) app.services.log.signCheckpoint()
  }
  app.services.log.signCheckpoint()
  return { db, marks }
}

const unlock = (db: Database) => {
  for (const t of ['log_entries_no_update', 'log_entries_no_delete', 'log_nodes_no_update', 'log_nodes_no_delete', 'log_checkpoints_no_update'])
    db.run(`DROP TRIGGER IF EXISTS ${t}`)
}

/** A store that counts the entries it hands out: the check's cost in entries read. */
function counting(store: LogStore): { view: StoredLog; read: () => number } {
  let read = 0
  const view: StoredLog = {
    tail: () => store.tail(),
    checkpointAtMost: (s) => store.checkpointAtMost(s),
    *iterate(from, to) {
      for (const r of store.iterate(from, to)) {
        read++
        yield r
      }
    },
    nodesAtLevel: (l) => store.nodesAtLevel(l),
    node: (l, i) => store.node(l, i),
    innerNodeCountWithin: (s) => store.innerNodeCountWithin(s),
    nodeCountBeyondEntries: () => store.nodeCountBeyondEntries(),
    entry: (i) => {
      read++
      return store.entry(i)
    },
  }
  return { view, read: () => read }
}

describe('the start-up check from the mark', () => {
  test('every signed checkpoint records a mark with its size and root', () => {
    const { db, marks } = logOf(20)
    expect(marks.map((m) => m.size)).toEqual([0, 7, 20])
    const whole = checkWholeLog(new LogStore(db), id)
    expect(whole.ok && whole.root).toEqual(marks.at(-1)!.root)
  })

  test('from the last mark, a start reads one entry however long the log is; the whole check reads them all', () => {
    const { db, marks } = logOf(300)
    const a = counting(new LogStore(db))
    expect(checkSinceMark(a.view, id, marks.at(-1)!)).toMatchObject({ ok: true, size: 300 })
    expect(a.read()).toBe(1) // the entry before the mark, for the chain link
    const b = counting(new LogStore(db))
    expect(checkWholeLog(b.view, id)).toMatchObject({ ok: true, size: 300 })
    expect(b.read()).toBe(300)
  })

  test('entries appended after the mark are checked: a wrong one is damage before the server listens', () => {
    const { db, marks } = logOf(40)
    const mark = marks[1]! // size 14
    unlock(db)
    db.query('UPDATE log_entries SET bytes = ? WHERE idx = 30').run(new TextEncoder().encode('{"not":"the event"}'))
    const r = checkSinceMark(new LogStore(db), id, mark)
    expect(r.ok).toBe(false)
    expect(createApp({ ...deps, db, logMark: mark }).services.log.damaged).toMatch(/entry 30/)
  })

  test('a mark beyond the stored entries (a database swapped for an older copy) is damage', () => {
    const { db, marks } = logOf(10)
    const r = createApp({ ...deps, db, logMark: { ...marks.at(-1)!, size: 11 } }).services.log.damaged
    expect(r).toMatch(/this server verified 11 entries, but only 10 are stored/)
  })

  test("stored nodes that no longer fold to the mark's root are damage", () => {
    const { db, marks } = logOf(16)
    unlock(db)
    db.query('UPDATE log_nodes SET hash = ? WHERE level = 4 AND idx = 0').run(new Uint8Array(32))
    expect(createApp({ ...deps, db, logMark: marks.at(-1)! }).services.log.damaged).toMatch(/no longer have the root this server verified/)
  })

  test('a mark at a size with a wrong root is damage', () => {
    const { db, marks } = logOf(9)
    expect(createApp({ ...deps, db, logMark: { size: 9, root: new Uint8Array(32) } }).services.log.damaged).toMatch(/root this server verified/)
    expect(createApp({ ...deps, db, logMark: marks.at(-1)! }).services.log.damaged).toBeNull()
  })

  test('property: any single change to the stored rows is found by the start-up check or the whole check; after the mark, by the start-up check', () => {
    const n = 23
    fc.assert(
      fc.property(fc.nat(n), fc.nat(n - 2), fc.constantFrom('bytes', 'leaf', 'delete', 'swap', 'node', 'checkpoint'), fc.nat(255), (m, row, kind, pick) => {
        const { db } = logOf(n)
        const whole = checkWholeLog(new LogStore(db), id)
        if (!whole.ok) throw new Error(whole.reason)
        const mark = { size: m, root: rootOfFirst(db, m) }
        unlock(db)
        let touches = row // the first entry the change reaches
        if (kind === 'bytes' || kind === 'leaf') {
          const v = (db.query(`SELECT ${kind} AS v FROM log_entries WHERE idx = ?`).get(row) as { v: Uint8Array }).v
          const c = new Uint8Array(v)
          c[pick % c.length]! ^= 1
          db.query(`UPDATE log_entries SET ${kind} = ? WHERE idx = ?`).run(c, row)
        } else if (kind === 'delete') db.query('DELETE FROM log_entries WHERE idx = ?').run(row)
        else if (kind === 'swap') {
          const a = db.query('SELECT bytes, leaf FROM log_entries WHERE idx = ?').get(row) as { bytes: Uint8Array; leaf: Uint8Array }
          const b = db.query('SELECT bytes, leaf FROM log_entries WHERE idx = ?').get(row + 1) as { bytes: Uint8Array; leaf: Uint8Array }
          db.query('UPDATE log_entries SET bytes = ?, leaf = ? WHERE idx = ?').run(b.bytes, b.leaf, row)
          db.query('UPDATE log_entries SET bytes = ?, leaf = ? WHERE idx = ?').run(a.bytes, a.leaf, row + 1)
        } else if (kind === 'node') {
          const nodes = db.query('SELECT level, idx FROM log_nodes ORDER BY level, idx').all() as Array<{ level: number; idx: number }>
          const node = nodes[pick % nodes.length]!
          db.query('UPDATE log_nodes SET hash = ? WHERE level = ? AND idx = ?').run(new Uint8Array(32).fill(9), node.level, node.idx)
          touches = (node.idx + 1) * 2 ** node.level - 1 // its last leaf
        } else {
          db.query("UPDATE log_checkpoints SET note = replace(note, 'custody', 'custodx') WHERE size = ?").run(n)
          touches = n
        }
        const quick = checkSinceMark(new LogStore(db), id, mark)
        const full = checkWholeLog(new LogStore(db), id)
        expect(quick.ok && full.ok, `${kind} at ${row}/${pick}, mark ${m}`).toBe(false)
        if (touches >= m) expect(quick.ok, `${kind} at ${touches} after the mark ${m}`).toBe(false)
      }),
      { numRuns: 120 },
    )
  })
})

/** The root of the first m entries of an untouched log, from its own whole check. */
function rootOfFirst(db: Database, m: number): Uint8Array {
  const r = checkWholeLog(new LogStore(db), id, m)
  if (!r.ok) throw new Error(r.reason)
  return r.root
}

describe('the whole check in the background', () => {
  test('reads a file database beside the server; an entry changed before the mark turns the server to log.damaged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'custody-startup-'))
    try {
      const path = join(dir, 'custody.db')
      const marks: VerifiedMark[] = []
      const first = createApp({ ...deps, db: path, logMarks: { save: (m) => marks.push(m) } })
      for (let i = 0; i < 50; i++)
        first.services.db
          .transaction(() => first.services.log.append({ actor: { system: 'test' }, action: 'test.event', subject: null, data: { i } }))
          .immediate()
      first.services.log.signCheckpoint()
      first.close()

      const clean = createApp({ ...deps, db: path, logMark: marks.at(-1)! })
      expect(clean.services.log.damaged).toBeNull()
      expect(await checkWholeLogInBackground({ path, identity: clean.services.log.identity(), upTo: 50 })).toEqual({ ok: true, size: 50 })
      clean.close()

      const raw = new Database(path)
      unlock(raw)
      raw.query('UPDATE log_entries SET bytes = ? WHERE idx = 3').run(new TextEncoder().encode('{"forged":true}'))
      raw.close()
      const app = createApp({ ...deps, db: path, logMark: marks.at(-1)! })
      expect(app.services.log.damaged).toBeNull() // before the mark: not read at start
      const r = await checkWholeLogInBackground({ path, identity: app.services.log.identity(), upTo: app.services.log.size() })
      expect(r).toEqual({ ok: false, reason: 'entry 3: stored leaf hash does not match its bytes' })
      app.services.log.reportDamage(r.ok ? '' : r.reason)
      expect(() => app.services.log.appendAlone({ actor: { system: 'test' }, action: 'test.after', subject: null })).toThrow(/custody log damaged: entry 3/)
      app.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('the mark file', () => {
  test("keeps size and root for this log; another log's mark is ignored; a garbled one stops the start", () => {
    const dir = mkdtempSync(join(tmpdir(), 'custody-mark-'))
    try {
      const file = new MarkFile(dir, 'custody.test/log')
      expect(file.load()).toBeNull()
      file.save({ size: 42, root: new Uint8Array(32).fill(3) })
      expect(file.load()).toEqual({ size: 42, root: new Uint8Array(32).fill(3) })
      expect(new MarkFile(dir, 'another.example/log').load()).toBeNull()
      writeFileSync(join(dir, 'log-verified.json'), '{"origin":"custody.test/log","size":-1,"root":"00"}')
      expect(() => file.load()).toThrow(/not a mark this server wrote/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
