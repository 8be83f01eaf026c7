import { describe, expect, test } from 'vitest'
import { leafHash, parseCheckpoint, verifyConsistency, verifyExport, verifyInclusion, verifyNote, parseVkey } from '../audit/index.ts'
import { fromBase64 } from '../crypto/index.ts'
import { makeTestApp, testLogKey } from './_app.ts'
import { createApp } from '../server/app.ts'
import { TEST_SCRYPT } from '../server/auth/_password.ts'
import { Database } from 'bun:sqlite'

async function populated(n = 5) {
  const app = makeTestApp()
  const admin = await app.userWith(['admin'], 'root')
  const sup = await app.userWith(['supervisor'], 'sup')
  for (let i = 0; i < n; i++) {
    const r = await app.call('POST', '/api/users', {
      cookie: admin.cookie,
      body: { username: `staff${i}`, displayName: `员工 ${i}`, roles: ['invigilator'], password: 'long enough password' },
    })
    expect(r.status).toBe(201)
  }
  return { app, admin, sup }
}

describe('every state change appends its event in the same transaction', () => {
  test('creating a user appends user.created naming who did it, in which role, and on what', async () => {
    const { app } = await populated(1)
    const users = app.services.db.query("SELECT id FROM users WHERE username = 'staff0'").get() as { id: string }
    const idx = app.services.log.store.indicesForSubject('user', users.id)
    const events = idx.map((i) => app.services.log.entry(i)!.event)
    expect(events[0]).toMatchObject({
      action: 'user.created',
      outcome: 'ok',
      actor: { name: 'root', roles: ['admin'] },
      subject: { type: 'user', id: users.id },
      data: { username: 'staff0', roles: ['invigilator'] },
    })
  })

  test('if the event cannot be written, the change rolls back (no change without its event)', async () => {
    const { app, admin } = await populated(0)
    const before = app.services.accounts.list().length
    // Sabotage the log table for this one request: the insert of the event fails, so must the change.
    app.services.db.run("CREATE TRIGGER sabotage BEFORE INSERT ON log_entries WHEN NEW.action = 'user.created' BEGIN SELECT RAISE(ABORT, 'disk says no'); END")
    const res = await app.call('POST', '/api/users', {
      cookie: admin.cookie,
      body: { username: 'ghost', displayName: 'G', roles: ['registrar'], password: 'long enough password' },
    })
    expect(res.status).toBe(500)
    expect(app.services.accounts.list().length).toBe(before)
  })

  test('the log tables refuse UPDATE and DELETE', async () => {
    const { app } = await populated(0)
    expect(() => app.services.db.run("UPDATE log_entries SET action = 'x' WHERE idx = 0")).toThrow(/append-only/)
    expect(() => app.services.db.run('DELETE FROM log_entries')).toThrow(/append-only/)
    expect(() => app.services.db.run('DELETE FROM log_nodes')).toThrow(/append-only/)
  })
})

describe('checkpoints, proofs and export over HTTP', () => {
  test('the checkpoint is a C2SP signed note that verifies with GET /api/log/key', async () => {
    const { app } = await populated(3)
    const note = await (await app.call('GET', '/api/log/checkpoint')).text()
    const vkey = (await (await app.call('GET', '/api/log/key')).text()).split('\n')[0]!
    expect(vkey).toMatch(/^custody\.test\/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/)
    expect(parseVkey(vkey).name).toBe('custody.test/log')
    const text = verifyNote(note, vkey).text
    const cp = parseCheckpoint(text)
    expect(cp.origin).toBe('custody.test/log')
    expect(cp.size).toBe(app.services.log.size())
    expect(note).toContain('\n\n— custody.test/log ')
  })

  test('every entry has an inclusion proof that verifies against the signed root; consistency between sizes verifies', async () => {
    const { app, sup } = await populated(6)
    const cp = parseCheckpoint(verifyNote(await (await app.call('GET', '/api/log/checkpoint')).text(), app.services.log.vkey).text)
    const { entries } = (await (await app.call('GET', `/api/log/entries?start=0&end=${cp.size}`, { cookie: sup.cookie })).json()) as {
      entries: Array<{ index: number; bytes: string }>
    }
    expect(entries.length).toBe(cp.size)
    for (const e of entries) {
      const p = (await (await app.call('GET', `/api/log/proof/inclusion?index=${e.index}&size=${cp.size}`, { cookie: sup.cookie })).json()) as {
        proof: string[]
      }
      expect(() => verifyInclusion(leafHash(fromBase64(e.bytes)), e.index, cp.size, p.proof.map(fromBase64), cp.rootHash)).not.toThrow()
    }
    const old = 3
    const oldRoot = app.services.log.root(old)
    const c = (await (await app.call('GET', `/api/log/proof/consistency?from=${old}&to=${cp.size}`, { cookie: sup.cookie })).json()) as { proof: string[] }
    expect(() => verifyConsistency(old, cp.size, c.proof.map(fromBase64), oldRoot, cp.rootHash)).not.toThrow()
  })

  test('out-of-range proofs and pages are 400 with a code', async () => {
    const { app, sup } = await populated(1)
    const n = app.services.log.size()
    for (const q of [
      `/api/log/proof/inclusion?index=${n}&size=${n}`,
      `/api/log/proof/inclusion?index=0&size=${n + 5}`,
      `/api/log/proof/consistency?from=0&to=${n}`,
      '/api/log/entries?start=5&end=2',
      '/api/log/entries?start=0&end=5000',
      '/api/log/entries?start=-1&end=2',
      '/api/log/proof/inclusion?index=abc&size=1',
    ]) {
      const res = await app.call('GET', q, { cookie: sup.cookie })
      expect(res.status, q).toBe(400)
    }
  })

  test('the export verifies offline, and names the first changed entry when tampered', async () => {
    const { app, sup } = await populated(4)
    const text = await (await app.call('GET', '/api/log/export', { cookie: sup.cookie })).text()
    const lines = text.trimEnd().split('\n')
    const ok = verifyExport(lines, { trustedKeys: [app.services.log.vkey] })
    expect(ok).toMatchObject({ ok: true, size: lines.length - 1 })
    const bad = [...lines]
    const line = JSON.parse(bad[3]!) as { index: number; bytes: string }
    const bytes = fromBase64(line.bytes)
    bytes[bytes.length - 3] ^= 1
    bad[3] = JSON.stringify({ index: line.index, bytes: Buffer.from(bytes).toString('base64') })
    const r = verifyExport(bad, { trustedKeys: [app.services.log.vkey] })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.index).toBe(3)
  })

  test('key rotation is a log event signed by both keys; the export still verifies from the first key', async () => {
    const { app, admin, sup } = await populated(1)
    const firstKey = app.services.log.vkey
    const res = await app.call('POST', '/api/log/key/rotate', { cookie: admin.cookie })
    expect(res.status).toBe(200)
    const { vkey } = (await res.json()) as { vkey: string }
    expect(vkey).not.toBe(firstKey)
    await app.call('POST', '/api/users', {
      cookie: admin.cookie,
      body: { username: 'after', displayName: 'A', roles: ['examiner'], password: 'long enough password' },
    })
    const note = await (await app.call('GET', '/api/log/checkpoint')).text()
    expect(() => verifyNote(note, vkey)).not.toThrow()
    expect(() => verifyNote(note, firstKey)).toThrow()
    const lines = (await (await app.call('GET', '/api/log/export', { cookie: sup.cookie })).text()).trimEnd().split('\n')
    expect(verifyExport(lines, { trustedKeys: [firstKey] })).toMatchObject({ ok: true })
  })
})

describe('start-up check against the last signed checkpoint', () => {
  async function damagedAfter(tamper: (db: Database) => void) {
    const db = new Database(':memory:')
    const deps = { logKey: testLogKey(), ticketKey: testLogKey(2), scrypt: TEST_SCRYPT, publicOrigins: ['http://localhost'] }
    const first = createApp({ ...deps, db })
    for (let i = 0; i < 5; i++)
      await first.services.accounts.create({ system: 'test' }, { username: `p${i}`, displayName: 'p', roles: ['registrar'], password: 'long enough password' })
    first.services.log.signCheckpoint()
    tamper(db)
    return createApp({ ...deps, db })
  }

  test('an intact log starts writable', async () => {
    const app = await damagedAfter(() => {})
    expect(app.services.log.damaged).toBeNull()
  })

  for (const [name, tamper] of [
    [
      'a changed entry',
      (db: Database) => {
        db.run('DROP TRIGGER log_entries_no_update')
        db.run(`UPDATE log_entries SET bytes = CAST(replace(CAST(bytes AS TEXT), '"p3"', '"p9"') AS BLOB) WHERE idx = 3`)
      },
    ],
    [
      'a changed entry with its leaf hash recomputed',
      (db: Database) => {
        db.run('DROP TRIGGER log_entries_no_update')
        const row = db.query('SELECT bytes FROM log_entries WHERE idx = 2').get() as { bytes: Uint8Array }
        const bytes = new TextEncoder().encode(new TextDecoder().decode(row.bytes).replace('"p2"', '"pX"'))
        db.query('UPDATE log_entries SET bytes = ?, leaf = ? WHERE idx = 2').run(bytes, leafHash(bytes))
      },
    ],
    [
      'deleted entries',
      (db: Database) => {
        db.run('DROP TRIGGER log_entries_no_delete')
        db.run('DELETE FROM log_entries WHERE idx >= 4')
      },
    ],
    [
      'a forged checkpoint',
      (db: Database) => {
        db.run('DROP TRIGGER log_checkpoints_no_update')
        db.run("UPDATE log_checkpoints SET note = replace(note, substr(note, instr(note, char(10)) + 1, 2), '99')")
      },
    ],
  ] as const) {
    test(`${name} is detected: writes are refused with log.damaged`, async () => {
      const app = await damagedAfter(tamper)
      expect(app.services.log.damaged).toMatch(/.+/)
      const res = await app.app.request('http://localhost/api/session', {
        method: 'POST',
        headers: { Origin: 'http://localhost', 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'p0', password: 'long enough password' }),
      })
      expect(res.status).toBe(503)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('log.damaged')
    })
  }
})
