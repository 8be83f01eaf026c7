import { describe, expect, test } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { leafHash, openNote, parseCheckpoint, verifyInclusion } from '../audit/index.ts'
import { fromBase64 } from '../crypto/index.ts'
import type { CustodyReport } from '../server/services/custody-reports.ts'
import { verifyCustodyReport } from '../server/services/custody-reports.ts'
import { makeTestApp, testLogKey, type TestApp } from './_app.ts'
import { type CustodyWorld, custodyWorld, drive, expectStatus } from './_custody-packets.ts'

const root = join(import.meta.dirname, '..')

async function reconciled(): Promise<{ app: TestApp; w: CustodyWorld }> {
  const app = makeTestApp()
  const w = await custodyWorld(app)
  // The print flow's events name the job and the packets; stand-ins here, appended as that flow would.
  app.services.db
    .transaction(() => {
      app.services.log.append({
        actor: { user: w.printer.id, name: w.printer.username, roles: ['custodian'] },
        action: 'custody.print.printed',
        subject: { type: 'print_job', id: w.job.id },
        data: { paperId: w.paperA.id, people: [w.printer.id] },
      })
      app.services.log.append({
        actor: { user: w.printer.id, name: w.printer.username, roles: ['custodian'] },
        action: 'paper.uploaded',
        subject: { type: 'paper', id: w.paperA.id },
        data: { people: [w.printer.id] },
      })
    })
    .immediate()
  await drive(app, w, w.p101, 'reconciled')
  await drive(app, w, w.p102, 'sealed')
  return { app, w }
}

describe('custody reports: a timeline with an inclusion proof per event against the signed checkpoint', () => {
  test("a packet's report lists its print job and its own events in log order, every proof verifying against the checkpoint", async () => {
    const { app, w } = await reconciled()
    const r = await expectStatus<CustodyReport>(await app.call('GET', `/api/reports/packets/${w.p101.id}`, { cookie: w.sup1.cookie }), 200)
    expect(r.size).toBe(app.services.log.size())
    expect(r.events.map((e) => e.action)).toEqual([
      'custody.print.printed',
      'custody.packet.sealed',
      'custody.packet.stored',
      'custody.handover.offered',
      'custody.packet.issued',
      'custody.handover.offered',
      'custody.packet.received',
      'custody.packet.opened',
      'custody.packet.recovered',
      'custody.packet.resealed',
      'custody.handover.offered',
      'custody.packet.returned',
      'custody.packet.reconciled',
    ])
    expect(r.events.every((e, i) => i === 0 || e.index > r.events[i - 1]!.index)).toBe(true)
    // Checked here with the audit primitives directly, independently of verifyCustodyReport.
    const opened = openNote(r.checkpoint, [app.services.log.vkey])
    expect(opened.signatures.some((s) => s.verified)).toBe(true)
    const cp = parseCheckpoint(opened.text)
    for (const e of r.events) {
      const leaf = leafHash(fromBase64(e.bytes))
      expect(Buffer.from(leaf).toString('base64')).toBe(e.leafHash)
      expect(() => verifyInclusion(leaf, e.index, cp.size, e.inclusionProof.map(fromBase64), cp.rootHash)).not.toThrow()
    }
    expect(verifyCustodyReport(r, [app.services.log.vkey])).toEqual({
      ok: true,
      size: r.size,
      origin: app.services.log.origin,
      events: r.events.length,
      keyName: app.services.log.origin,
    })
  })

  test("a paper's report covers the paper, its print job, every packet, its leak reports and the session decisions they caused", async () => {
    const { app, w } = await reconciled()
    const filed = await expectStatus<{ id: string }>(
      await app.call('POST', '/api/leaks', { cookie: w.inv3.cookie, body: { packetId: w.p102.id, level: 'confirmed', description: '疑似外泄' } }),
      201,
    )
    await expectStatus(await app.call('POST', `/api/leaks/${filed.id}/confirm`, { cookie: w.sup1.cookie, body: { reason: '确认' } }), 200)
    await expectStatus(
      await app.call('POST', `/api/leaks/${filed.id}/decisions`, {
        cookie: w.sup1.cookie,
        body: { sessionId: w.sessionId, decision: 'suspend', reason: '停考' },
      }),
      200,
    )
    const r = await expectStatus<CustodyReport>(await app.call('GET', `/api/reports/papers/${w.paperA.id}`, { cookie: w.keeper.cookie }), 200)
    const actions = r.events.map((e) => e.action)
    for (const a of [
      'paper.uploaded',
      'custody.print.printed',
      'custody.packet.reconciled',
      'custody.leak.filed',
      'custody.paper.frozen',
      'custody.alert.leak',
      'custody.leak.confirmed',
      'custody.paper.retired',
      'custody.packet.voided',
      'custody.session.suspended',
    ]) {
      expect(actions, a).toContain(a)
    }
    expect(new Set(r.events.map((e) => e.subject?.id)).has(w.p102.id)).toBe(true)
    expect(r.packets.map((p) => p.id)).toEqual([w.p101.id, w.p102.id])
    expect(verifyCustodyReport(r, [app.services.log.vkey]).ok).toBe(true)
    // Nothing of paper B, or of other subjects, slips in.
    expect(r.events.every((e) => e.subject?.id !== w.paperB.id && e.action !== 'session.opened')).toBe(true)
  })

  test('a report whose event, proof, size or key was altered does not verify, and says which event', async () => {
    const { app, w } = await reconciled()
    const r = await expectStatus<CustodyReport>(await app.call('GET', `/api/reports/packets/${w.p101.id}`, { cookie: w.sup1.cookie }), 200)
    const vkey = app.services.log.vkey
    const copy = (): CustodyReport => JSON.parse(JSON.stringify(r)) as CustodyReport
    const edited = copy()
    edited.events[3]!.data['place'] = '别处'
    expect(verifyCustodyReport(edited, [vkey])).toMatchObject({
      ok: false,
      index: r.events[3]!.index,
      reason: expect.stringContaining('differ from its signed bytes'),
    })
    const proof = copy()
    proof.events[1]!.inclusionProof[0] = Buffer.alloc(32).toString('base64')
    expect(verifyCustodyReport(proof, [vkey])).toMatchObject({ ok: false, index: r.events[1]!.index, reason: expect.stringContaining('inclusion proof') })
    const dropped = copy()
    dropped.events[2]!.inclusionProof.pop()
    expect(verifyCustodyReport(dropped, [vkey]).ok).toBe(false)
    const size = copy()
    size.size += 1
    expect(verifyCustodyReport(size, [vkey])).toMatchObject({ ok: false, reason: expect.stringContaining('size') })
    const other = makeTestApp({ logKey: testLogKey(9) })
    expect(verifyCustodyReport(r, [other.services.log.vkey])).toMatchObject({ ok: false, reason: expect.stringContaining('no valid signature') })
  })

  test('npm run verify-log -- --proof REPORT.json --key VKEY checks a saved report (exit 0), a tampered one fails (exit 1)', async () => {
    const { app, w } = await reconciled()
    const res = await app.call('GET', `/api/reports/packets/${w.p101.id}`, { cookie: w.sup1.cookie })
    const text = await res.text()
    const dir = mkdtempSync(join(tmpdir(), 'custody-report-'))
    const good = join(dir, 'report.json'),
      bad = join(dir, 'bad.json')
    writeFileSync(good, text)
    const tampered = JSON.parse(text) as CustodyReport
    tampered.events[0]!.data['paperId'] = 'paper-Z'
    writeFileSync(bad, JSON.stringify(tampered))
    const run = (...args: string[]) => spawnSync(process.execPath, ['server/cli/verify-log.ts', ...args], { cwd: root, encoding: 'utf8' })
    const ok = run('--proof', good, '--key', app.services.log.vkey)
    expect(ok.stdout, ok.stderr).toMatch(/^ok: 13 events included in checkpoint custody\.test\/log size \d+/)
    expect(ok.status).toBe(0)
    const fail = run('--proof', bad, '--key', app.services.log.vkey)
    expect(fail.stdout).toMatch(/^FAIL: event \d+: the fields shown differ/)
    expect(fail.status).toBe(1)
    expect(run('--proof', good).status).toBe(2)
  })

  test('format=csv gives UTF-8 CSV with a BOM for Excel, one row per event', async () => {
    const { app, w } = await reconciled()
    const res = await app.call('GET', `/api/reports/packets/${w.p101.id}?format=csv`, { cookie: w.sup1.cookie })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toContain(`custody-packet-${w.p101.id}.csv`)
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = new TextDecoder().decode(bytes).trimEnd().split('\r\n') // the decoder drops the BOM
    expect(lines[0]).toBe('index,time,actor_name,actor,roles,action_name,action,outcome,subject_type,subject_id,room_name,room,data,leaf_hash')
    expect(lines).toHaveLength(14)
    expect(lines[2]).toContain(',封装试卷袋,custody.packet.sealed,ok,packet,')
  })

  test('the CSV, the JSON and the printable page name people by display name and rooms by name, usernames only beside them', async () => {
    const { app, w } = await reconciled()
    const rename = app.services.db.prepare('UPDATE users SET display_name = ? WHERE id = ?')
    rename.run('张保管', w.keeper.id)
    rename.run('李监考', w.inv1.id)
    const csv = await (await app.call('GET', `/api/reports/packets/${w.p101.id}?format=csv`, { cookie: w.sup1.cookie })).text()
    const rows = csv
      .trimEnd()
      .split('\r\n')
      .map((l) => l.split(','))
    const byKeeper = rows.find((r) => r[3] === w.keeper.username)!
    expect(byKeeper[2]).toBe('张保管') // actor_name first, the username beside it
    expect(rows.some((r) => r[2] === '李监考')).toBe(true)
    expect(rows.find((r) => r[11] === w.rooms.r101)?.[10]).toMatch(/101 考场$/) // the room's name beside its id

    const json = (await (await app.call('GET', `/api/reports/packets/${w.p101.id}`, { cookie: w.sup1.cookie })).json()) as {
      people: Record<string, { displayName: string; username: string }>
      rooms: Record<string, string>
    }
    expect(json.people[w.keeper.id]).toEqual({ displayName: '张保管', username: w.keeper.username })
    expect(json.rooms[w.rooms.r101]).toMatch(/101 考场$/)

    const page = await (await app.call('GET', `/reports/packets/${w.p101.id}`, { cookie: w.sup1.cookie })).text()
    expect(page).toContain('张保管')
    expect(page).toContain('李监考')
    expect(page).not.toContain(`张保管（${w.keeper.username}）`) // the username is a small second line, not part of the name
    expect(page).not.toContain(w.p101.id.slice(0, 8) + '…')
    expect(page).not.toContain(w.sessionId) // the session by its occupation, subject and time
    expect(page).toContain('试卷编号 0001–')
    expect(page).not.toContain('Timeline') // Chinese only on a Chinese report
  })

  test('every custody.paper.* event of a paper report prints by its Chinese name, not as a bare code', async () => {
    const { app, w } = await reconciled()
    const page = await (await app.call('GET', `/reports/papers/${w.paperA.id}`, { cookie: w.sup1.cookie })).text()
    const codes = [...page.matchAll(/<span class="mono muted">([a-z_.]+)<\/span>/g)].map((m) => m[1])
    expect(codes.filter((c) => c?.startsWith('custody.'))).toEqual([])
  })

  test('a browser without a session asking for a printable report goes to the login page and back', async () => {
    const { app, w } = await reconciled()
    const res = await app.call('GET', `/reports/packets/${w.p101.id}`, { headers: { Accept: 'text/html,application/xhtml+xml' } })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent(`/reports/packets/${w.p101.id}`)}`)
    expect((await app.call('GET', `/api/reports/packets/${w.p101.id}`)).status).toBe(401) // API clients still get the refusal
  })

  test('the printable page is zh-CN A4 HTML stamped with the checkpoint, for the roles that read custody', async () => {
    const { app, w } = await reconciled()
    const res = await app.call('GET', `/reports/packets/${w.p101.id}`, { cookie: w.sup1.cookie })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
    const page = await res.text()
    expect(page).toContain('<html lang="zh-CN">')
    expect(page).toContain('试卷袋保管记录')
    expect(page).toContain('/print/custody-report.css')
    expect(page).toContain(app.services.log.checkpoint().note.split('\n')[2]!) // the root hash line
    expect(page).toContain('封装')
    expect(page).toContain(`${w.keeper.username}`)
    expect(page).not.toMatch(/<script|style=/)
    const paper = await app.call('GET', `/reports/papers/${w.paperA.id}`, { cookie: w.keeper.cookie })
    expect(await paper.text()).toContain('试卷保管记录')
    expect((await app.call('GET', `/reports/packets/${w.p101.id}`, { cookie: w.inv1.cookie })).status).toBe(403)
    expect((await app.call('GET', `/reports/packets/${w.p101.id}`)).status).toBe(401)
    expect((await app.call('GET', '/reports/packets/nope', { cookie: w.sup1.cookie })).status).toBe(404)
    const css = await app.call('GET', '/print/custody-report.css')
    expect(css.headers.get('content-type')).toContain('text/css')
    expect(await css.text()).toContain('@page { size: A4 portrait')
  })
})
