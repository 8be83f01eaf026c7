import { describe, expect, test } from 'vitest'
import fc from 'fast-check'
import { Database } from 'bun:sqlite'
import { createApp } from '../server/app.ts'
import { TEST_SCRYPT } from '../server/auth/_password.ts'
import { testLogKey } from './_app.ts'

/**
 * Property: whatever single change is made to the stored rows of a checkpointed log — a flipped bit in an
 * entry's bytes or leaf hash or a Merkle node, a deleted entry, swapped entries, a rewritten checkpoint —
 * the next start refuses writes (log.damaged).
 */
const deps = { logKey: testLogKey(), ticketKey: testLogKey(2), scrypt: TEST_SCRYPT }

function checkpointedLog(n: number): Database {
  const db = new Database(':memory:')
  const app = createApp({ ...deps, db })
  for (let i = 0; i < n; i++) {
    db.transaction(() =>
      app.services.log.append({ actor: { system: 'test' }, action: 'test.event', subject: { type: 'thing', id: `t${i}` }, data: { i } }),
    ).immediate()
  }
  app.services.log.signCheckpoint()
  for (const t of ['log_entries_no_update', 'log_entries_no_delete', 'log_nodes_no_update', 'log_nodes_no_delete', 'log_checkpoints_no_update'])
    db.run(`DROP TRIGGER ${t}`)
  return db
}

const flip = (b: Uint8Array, at: number, bit: number) => {
  const c = new Uint8Array(b)
  c[at % c.length]! ^= 1 << bit
  return c
}

type Tamper =
  | { kind: 'bytes' | 'leaf'; row: number; at: number; bit: number }
  | { kind: 'node'; pick: number; at: number; bit: number }
  | { kind: 'drop-node'; pick: number }
  | { kind: 'extra-node'; level: number; idx: number }
  | { kind: 'delete' | 'swap'; row: number }
  | { kind: 'checkpoint'; at: number }

const tamper = (n: number): fc.Arbitrary<Tamper> =>
  fc.oneof(
    fc.record({ kind: fc.constantFrom('bytes' as const, 'leaf' as const), row: fc.nat(n - 1), at: fc.nat(400), bit: fc.nat(7) }),
    fc.record({ kind: fc.constant('node' as const), pick: fc.nat(1000), at: fc.nat(31), bit: fc.nat(7) }),
    fc.record({ kind: fc.constant('drop-node' as const), pick: fc.nat(1000) }),
    fc.record({ kind: fc.constant('extra-node' as const), level: fc.integer({ min: 1, max: 5 }), idx: fc.nat(20) }),
    fc.record({ kind: fc.constantFrom('delete' as const, 'swap' as const), row: fc.nat(n - 2) }),
    fc.record({ kind: fc.constant('checkpoint' as const), at: fc.nat(60) }),
  )

function apply(db: Database, t: Tamper): void {
  switch (t.kind) {
    case 'bytes':
    case 'leaf': {
      const row = db.query(`SELECT ${t.kind} AS v FROM log_entries WHERE idx = ?`).get(t.row) as { v: Uint8Array }
      db.query(`UPDATE log_entries SET ${t.kind} = ? WHERE idx = ?`).run(flip(row.v, t.at, t.bit), t.row)
      return
    }
    case 'node': {
      const nodes = db.query('SELECT level, idx, hash FROM log_nodes ORDER BY level, idx').all() as Array<{ level: number; idx: number; hash: Uint8Array }>
      const n = nodes[t.pick % nodes.length]!
      db.query('UPDATE log_nodes SET hash = ? WHERE level = ? AND idx = ?').run(flip(n.hash, t.at, t.bit), n.level, n.idx)
      return
    }
    case 'drop-node': {
      const nodes = db.query('SELECT level, idx FROM log_nodes ORDER BY level, idx').all() as Array<{ level: number; idx: number }>
      const n = nodes[t.pick % nodes.length]!
      db.query('DELETE FROM log_nodes WHERE level = ? AND idx = ?').run(n.level, n.idx)
      return
    }
    case 'extra-node':
      // A node no entry makes (OR IGNORE: where one exists already, flip it instead, so the row changes either way).
      if (db.query('INSERT OR IGNORE INTO log_nodes (level, idx, hash) VALUES (?, ?, ?)').run(t.level, t.idx, new Uint8Array(32).fill(7)).changes === 0) {
        db.query('UPDATE log_nodes SET hash = ? WHERE level = ? AND idx = ?').run(new Uint8Array(32).fill(7), t.level, t.idx)
      }
      return
    case 'delete':
      db.query('DELETE FROM log_entries WHERE idx = ?').run(t.row)
      return
    case 'swap': {
      const a = db.query('SELECT bytes, leaf FROM log_entries WHERE idx = ?').get(t.row) as { bytes: Uint8Array; leaf: Uint8Array }
      const b = db.query('SELECT bytes, leaf FROM log_entries WHERE idx = ?').get(t.row + 1) as { bytes: Uint8Array; leaf: Uint8Array }
      db.query('UPDATE log_entries SET bytes = ?, leaf = ? WHERE idx = ?').run(b.bytes, b.leaf, t.row)
      db.query('UPDATE log_entries SET bytes = ?, leaf = ? WHERE idx = ?').run(a.bytes, a.leaf, t.row + 1)
      return
    }
    case 'checkpoint': {
      const cp = db.query('SELECT size, note FROM log_checkpoints ORDER BY size DESC LIMIT 1').get() as { size: number; note: string }
      const chars = [...cp.note]
      const i = t.at % chars.length
      chars[i] = chars[i] === 'A' ? 'B' : 'A'
      db.query('UPDATE log_checkpoints SET note = ? WHERE size = ?').run(chars.join(''), cp.size)
      return
    }
  }
}

describe('the start-up check detects every tampering of the stored rows', () => {
  test('an untouched log starts writable', () => {
    const db = checkpointedLog(13)
    expect(createApp({ ...deps, db }).services.log.damaged).toBeNull()
  })

  test('a log checkpointed part-way and appended to since starts writable; a wrong node among the later entries does not', () => {
    const db = checkpointedLog(9)
    const app = createApp({ ...deps, db })
    for (let i = 0; i < 12; i++) {
      db.transaction(() => app.services.log.append({ actor: { system: 'test' }, action: 'test.later', subject: null, data: { i } })).immediate()
    }
    expect(createApp({ ...deps, db }).services.log.damaged).toBeNull()
    db.run('DROP TRIGGER IF EXISTS log_nodes_no_update')
    db.query('UPDATE log_nodes SET hash = ? WHERE level = 2 AND idx = 4').run(new Uint8Array(32))
    expect(createApp({ ...deps, db }).services.log.damaged).toMatch(/Merkle node \(2, 4\)/)
  })

  test('property: any single tampering → log.damaged', () => {
    const n = 13
    fc.assert(
      fc.property(tamper(n), (t) => {
        const db = checkpointedLog(n)
        apply(db, t)
        const damaged = createApp({ ...deps, db }).services.log.damaged
        expect(damaged, JSON.stringify(t)).toMatch(/.+/)
      }),
      { numRuns: 150 },
    )
  })
})
