import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { IN_WINDOW, type PapersWorld, THEORY_START, fakePdf, moveTo, papersWorld, putFile } from './_papers-fixture.ts'
import { eventsSince } from './_rooms-fixture.ts'

interface Job {
  id: string
  state: string
  approvals: string[]
  targets: Array<{ roomId: string | null; seats: number }>
  plannedCopies: number
  firstCopy: number
}
interface PacketSummary {
  id: string
  roomId: string | null
  copies: { first: number; last: number }
  state: string
  holder: { userId?: string }
}
type ErrorBody = { error: { code: string; details?: Record<string, unknown> } }

async function newPaper(w: PapersWorld, kind = 'paper_a', title = '电工四级理论 A 卷') {
  const res = await w.app.call('POST', `/api/sessions/${w.sessions.theory}/papers`, { cookie: w.custodian.cookie, body: { kind, title } })
  expect(res.status).toBe(201)
  return (await res.json()) as { id: string; state: string; file: null }
}

async function printedFlow(w: PapersWorld) {
  const paper = await newPaper(w)
  const pdf = fakePdf(150_000)
  expect((await putFile(w.app, w.custodian.cookie, paper.id, pdf, { 'X-Filename': encodeURIComponent('电工A卷.pdf') })).status).toBe(200)
  const job = (await (
    await w.app.call('POST', `/api/papers/${paper.id}/print-jobs`, { cookie: w.custodian.cookie, body: { perCopy: { answerSheets: 1, scratchPaper: 1 } } })
  ).json()) as Job
  await w.app.call('POST', `/api/print-jobs/${job.id}/approve`, { cookie: w.custodian.cookie, body: { passphrase: w.custodian.passphrase } })
  await w.app.call('POST', `/api/print-jobs/${job.id}/approve`, { cookie: w.custodian2.cookie, body: { passphrase: w.custodian2.passphrase } })
  await moveTo(w, IN_WINDOW)
  const dec = await w.app.call('POST', `/api/print-jobs/${job.id}/decrypt`, { cookie: w.custodian.cookie })
  expect(dec.status).toBe(200)
  await dec.arrayBuffer()
  const res = await w.app.call('POST', `/api/print-jobs/${job.id}/printed`, { cookie: w.custodian.cookie, body: { copies: job.plannedCopies } })
  expect(res.status).toBe(200)
  return { paper, pdf, job, packets: ((await res.json()) as { packets: PacketSummary[] }).packets }
}

describe('a paper from upload to packets, over HTTP (R5.1–R5.2)', () => {
  test('create, upload, request, two approvals, decrypt in the window, record the print: each step answers and logs', async () => {
    const w = await papersWorld({ seated: 64 })
    const from = w.app.services.log.size()
    const paper = await newPaper(w)
    expect(paper).toMatchObject({ state: 'active', file: null })

    const pdf = fakePdf(300_000)
    const up = await putFile(w.app, w.custodian.cookie, paper.id, pdf, { 'X-Filename': encodeURIComponent('2026 电工(四级) A卷.pdf') })
    expect(up.status).toBe(200)
    const stored = (await up.json()) as { fileId: string; plaintextBytes: number; cipherSha256: string; filename: string }
    expect(stored).toMatchObject({ paperId: paper.id, plaintextBytes: pdf.length, filename: '2026 电工(四级) A卷.pdf' })
    expect(stored.cipherSha256).toBe(createHash('sha256').update(w.blobs.bytesOf(stored.fileId)!).digest('hex'))

    const req = await w.app.call('POST', `/api/papers/${paper.id}/print-jobs`, { cookie: w.custodian.cookie })
    expect(req.status).toBe(201)
    const job = (await req.json()) as Job
    expect(job).toMatchObject({ state: 'requested', firstCopy: 1, approvals: [] })
    expect(job.targets.map((t) => t.roomId).sort()).toEqual(Object.values(w.rooms).sort())
    expect(job.plannedCopies).toBe(64 + 2 * 3)

    const a1 = await w.app.call('POST', `/api/print-jobs/${job.id}/approve`, { cookie: w.custodian.cookie, body: { passphrase: w.custodian.passphrase } })
    expect(((await a1.json()) as Job).state).toBe('requested')
    const a2 = await w.app.call('POST', `/api/print-jobs/${job.id}/approve`, { cookie: w.custodian2.cookie, body: { passphrase: w.custodian2.passphrase } })
    expect((await a2.json()) as Job).toMatchObject({ state: 'approved', approvals: [w.custodian.id, w.custodian2.id] })

    await moveTo(w, IN_WINDOW)
    const dec = await w.app.call('POST', `/api/print-jobs/${job.id}/decrypt`, { cookie: w.custodian.cookie })
    expect(dec.status).toBe(200)
    expect(dec.headers.get('content-type')).toBe('application/pdf')
    expect(dec.headers.get('cache-control')).toBe('no-store')
    expect(dec.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('2026 电工(四级) A卷.pdf')}`)
    expect(Buffer.from(await dec.arrayBuffer()).equals(Buffer.from(pdf))).toBe(true)

    const printed = await w.app.call('POST', `/api/print-jobs/${job.id}/printed`, { cookie: w.custodian.cookie, body: { copies: job.plannedCopies } })
    expect(printed.status).toBe(200)
    const out = (await printed.json()) as { job: Job; packets: PacketSummary[] }
    expect(out.job.state).toBe('printed')
    expect(out.packets).toHaveLength(3)
    expect(out.packets.map((p) => p.copies.first)).toEqual([1, out.packets[0]!.copies.last + 1, out.packets[1]!.copies.last + 1])
    expect(out.packets.every((p) => p.state === 'printed' && p.holder.userId === w.custodian.id)).toBe(true)

    expect(
      eventsSince(w.app, from)
        .map((e) => e.action)
        .filter((a) => a.startsWith('custody.')),
    ).toEqual([
      'custody.paper.created',
      'custody.paper.uploaded',
      'custody.print.requested',
      'custody.print.approved',
      'custody.print.approved',
      'custody.paper.decrypted',
      'custody.print.printed',
      'custody.packet.printed',
      'custody.packet.printed',
      'custody.packet.printed',
    ])

    // What a supervisor sees afterwards.
    const detail = await w.app.call('GET', `/api/papers/${paper.id}`, { cookie: w.supervisor.cookie })
    expect(detail.status).toBe(200)
    const d = (await detail.json()) as {
      paper: { file: { fileId: string; filename: string } }
      printJobs: Job[]
      packets: PacketSummary[]
      window: { opensAt: string; closesAt: string }
      names: Record<string, string>
    }
    expect(d.paper.file).toMatchObject({ fileId: stored.fileId })
    expect(d.printJobs.map((j) => j.state)).toEqual(['printed'])
    expect(d.packets).toHaveLength(3)
    expect(d.window).toEqual({ opensAt: new Date(THEORY_START - 86_400_000).toISOString(), closesAt: new Date(THEORY_START - 3_600_000).toISOString() })
    expect(d.names[w.custodian2.id]).toBe('keeper2')
    const list = await w.app.call('GET', `/api/sessions/${w.sessions.theory}/papers`, { cookie: w.admin.cookie })
    expect(((await list.json()) as { papers: Array<{ id: string }> }).papers.map((p) => p.id)).toEqual([paper.id])
    const jobView = await w.app.call('GET', `/api/print-jobs/${job.id}`, { cookie: w.custodian2.cookie })
    expect(((await jobView.json()) as { packets: unknown[] }).packets).toHaveLength(3)
  })

  test('an upload streams: a body without Content-Length, in many pieces, is stored whole', async () => {
    const w = await papersWorld()
    const paper = await newPaper(w)
    const pdf = fakePdf(1_000_003)
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < pdf.length; i += 77_777) controller.enqueue(pdf.slice(i, i + 77_777))
        controller.close()
      },
    })
    const res = await putFile(w.app, w.custodian.cookie, paper.id, stream, { 'Content-Type': 'application/octet-stream' })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { plaintextBytes: number }).plaintextBytes).toBe(pdf.length)
    const file = w.app.services.papers.store.file(paper.id)!
    expect(file).toMatchObject({ contentType: 'application/octet-stream', filename: 'paper.bin' })
  })
})

describe("refusals answer with a stable code, and the ones that are a person's attempt are logged", () => {
  test('the same custodian approving twice is refused (twoperson.same_person) and logged as refused', async () => {
    const w = await papersWorld()
    const paper = await newPaper(w)
    await putFile(w.app, w.custodian.cookie, paper.id, fakePdf(1000))
    const job = (await (await w.app.call('POST', `/api/papers/${paper.id}/print-jobs`, { cookie: w.custodian.cookie })).json()) as Job
    await w.app.call('POST', `/api/print-jobs/${job.id}/approve`, { cookie: w.custodian.cookie, body: { passphrase: w.custodian.passphrase } })
    const from = w.app.services.log.size()
    const res = await w.app.call('POST', `/api/print-jobs/${job.id}/approve`, { cookie: w.custodian.cookie, body: { passphrase: w.custodian.passphrase } })
    expect(res.status).toBe(409)
    expect(((await res.json()) as ErrorBody).error.code).toBe('twoperson.same_person')
    expect(eventsSince(w.app, from)).toMatchObject([
      { action: 'custody.print.approve', outcome: 'refused', subject: { type: 'print_job', id: job.id }, data: { code: 'twoperson.same_person' } },
    ])
  })

  test('decryption before the window, and at the very minute it closes, is refused with the window in the details', async () => {
    const w = await papersWorld()
    const paper = await newPaper(w)
    await putFile(w.app, w.custodian.cookie, paper.id, fakePdf(1000))
    const job = (await (await w.app.call('POST', `/api/papers/${paper.id}/print-jobs`, { cookie: w.custodian.cookie })).json()) as Job
    await w.app.call('POST', `/api/print-jobs/${job.id}/approve`, { cookie: w.custodian.cookie, body: { passphrase: w.custodian.passphrase } })
    await w.app.call('POST', `/api/print-jobs/${job.id}/approve`, { cookie: w.custodian2.cookie, body: { passphrase: w.custodian2.passphrase } })
    for (const at of [THEORY_START - 86_400_000 - 1, THEORY_START - 3_600_000]) {
      await moveTo(w, at)
      const res = await w.app.call('POST', `/api/print-jobs/${job.id}/decrypt`, { cookie: w.custodian.cookie })
      expect(res.status).toBe(409)
      const body = (await res.json()) as ErrorBody
      expect(body.error).toMatchObject({ code: 'print.window_closed', details: { opensAt: THEORY_START - 86_400_000, closesAt: THEORY_START - 3_600_000 } })
    }
    await moveTo(w, THEORY_START - 86_400_000) // the first minute of the window is inside it
    expect((await w.app.call('POST', `/api/print-jobs/${job.id}/decrypt`, { cookie: w.custodian.cookie })).status).toBe(200)
  })

  test('one custodian moving the window after both approvals does not open it: the approvals lapse (print.approvals_lapsed event, 409 on decrypt)', async () => {
    const w = await papersWorld()
    const paper = await newPaper(w)
    await putFile(w.app, w.custodian.cookie, paper.id, fakePdf(1000))
    const job = (await (await w.app.call('POST', `/api/papers/${paper.id}/print-jobs`, { cookie: w.custodian.cookie })).json()) as Job
    await w.app.call('POST', `/api/print-jobs/${job.id}/approve`, { cookie: w.custodian.cookie, body: { passphrase: w.custodian.passphrase } })
    await w.app.call('POST', `/api/print-jobs/${job.id}/approve`, { cookie: w.custodian2.cookie, body: { passphrase: w.custodian2.passphrase } })
    // Weeks before the session, one custodian widens the window to include today.
    const opens = Math.ceil((THEORY_START - w.app.clock.now) / 60_000) + 60
    const from = w.app.services.log.size()
    const put = await w.app.call('PUT', `/api/batches/${w.batchId}/custody-settings`, {
      cookie: w.custodian.cookie,
      body: { opensMinutesBefore: opens, closesMinutesBefore: 60, openMinutesBefore: 15, sparesPerRoom: 2 },
    })
    expect(put.status).toBe(200)
    expect(eventsSince(w.app, from).map((e) => e.action)).toEqual(['custody.settings.updated', 'custody.print.approvals_lapsed'])
    const read = (await (await w.app.call('GET', `/api/print-jobs/${job.id}`, { cookie: w.custodian.cookie })).json()) as Job
    expect(read).toMatchObject({ state: 'requested', approvals: [] })
    const res = await w.app.call('POST', `/api/print-jobs/${job.id}/decrypt`, { cookie: w.custodian.cookie })
    expect([res.status, ((await res.json()) as ErrorBody).error.code]).toEqual([409, 'print.needs_second_approval'])
    // Two approvals under the new window, and it opens.
    await w.app.call('POST', `/api/print-jobs/${job.id}/approve`, { cookie: w.custodian2.cookie, body: { passphrase: w.custodian2.passphrase } })
    await w.app.call('POST', `/api/print-jobs/${job.id}/approve`, { cookie: w.custodian.cookie, body: { passphrase: w.custodian.passphrase } })
    expect((await w.app.call('POST', `/api/print-jobs/${job.id}/decrypt`, { cookie: w.custodian.cookie })).status).toBe(200)
  })

  test('only the decrypting custodian records the print, with the planned number of copies', async () => {
    const w = await papersWorld()
    const paper = await newPaper(w)
    await putFile(w.app, w.custodian.cookie, paper.id, fakePdf(1000))
    const job = (await (await w.app.call('POST', `/api/papers/${paper.id}/print-jobs`, { cookie: w.custodian.cookie })).json()) as Job
    await w.app.call('POST', `/api/print-jobs/${job.id}/approve`, { cookie: w.custodian.cookie, body: { passphrase: w.custodian.passphrase } })
    await w.app.call('POST', `/api/print-jobs/${job.id}/approve`, { cookie: w.custodian2.cookie, body: { passphrase: w.custodian2.passphrase } })
    await moveTo(w, IN_WINDOW)
    await (await w.app.call('POST', `/api/print-jobs/${job.id}/decrypt`, { cookie: w.custodian.cookie })).arrayBuffer()
    const other = await w.app.call('POST', `/api/print-jobs/${job.id}/printed`, { cookie: w.custodian2.cookie, body: { copies: job.plannedCopies } })
    expect([other.status, ((await other.json()) as ErrorBody).error.code]).toEqual([403, 'print.not_decrypter'])
    const wrong = await w.app.call('POST', `/api/print-jobs/${job.id}/printed`, { cookie: w.custodian.cookie, body: { copies: 5 } })
    expect([wrong.status, ((await wrong.json()) as ErrorBody).error]).toEqual([
      409,
      expect.objectContaining({ code: 'print.copies_mismatch', details: expect.objectContaining({ expected: job.plannedCopies, got: 5 }) }),
    ])
    const again = await w.app.call('POST', `/api/print-jobs/${job.id}/decrypt`, { cookie: w.custodian.cookie })
    expect(((await again.json()) as ErrorBody).error.code).toBe('print.wrong_state')
  })

  test('replacing the file after printing began is refused (paper.file_locked)', async () => {
    const w = await papersWorld()
    const { paper } = await printedFlow(w)
    const res = await putFile(w.app, w.custodian.cookie, paper.id, fakePdf(100))
    expect(res.status).toBe(409)
    expect(((await res.json()) as ErrorBody).error).toMatchObject({ code: 'paper.file_locked', details: { state: 'printed' } })
  })

  test('uploads: a wrong type is 415, a declared size over the limit is 413 before reading, a bad X-Filename is 400', async () => {
    const w = await papersWorld({ deps: { paperMaxBytes: 50_000 } })
    const paper = await newPaper(w)
    const types = await putFile(w.app, w.custodian.cookie, paper.id, fakePdf(10), { 'Content-Type': 'text/plain' })
    expect([types.status, ((await types.json()) as ErrorBody).error.code]).toEqual([415, 'request.unsupported_media_type'])
    const big = await putFile(w.app, w.custodian.cookie, paper.id, fakePdf(60_000))
    expect([big.status, ((await big.json()) as ErrorBody).error.code]).toEqual([413, 'paper.file_too_large'])
    const name = await putFile(w.app, w.custodian.cookie, paper.id, fakePdf(10), { 'X-Filename': '%E0%A4%A' })
    expect([name.status, ((await name.json()) as ErrorBody).error.code]).toEqual([400, 'request.invalid'])
    const path = await putFile(w.app, w.custodian.cookie, paper.id, fakePdf(10), { 'X-Filename': encodeURIComponent('C:\\Users\\x\\卷.pdf') })
    expect(path.status).toBe(200)
    expect(w.app.services.papers.store.file(paper.id)!.filename).toBe('卷.pdf')
    const json = await w.app.call('PUT', `/api/papers/${paper.id}/file`, { cookie: w.custodian.cookie, body: { not: 'a file' } })
    expect(json.status).toBe(415)
  })

  test('unknown ids answer 404 and log nothing; a supervisor reads but cannot print', async () => {
    const w = await papersWorld()
    const from = w.app.services.log.size()
    for (const [method, path] of [
      ['GET', '/api/papers/nope'],
      ['GET', '/api/print-jobs/nope'],
      ['POST', '/api/print-jobs/nope/approve'],
      ['GET', '/api/sessions/nope/papers'],
      ['GET', '/packets/nope/label'],
    ] as const) {
      const res = await w.app.call(method, path, { cookie: method === 'GET' ? w.supervisor.cookie : w.custodian.cookie })
      expect(res.status, path).toBe(404)
    }
    expect(w.app.services.log.size()).toBe(from)
    const res = await w.app.call('POST', `/api/sessions/${w.sessions.theory}/papers`, { cookie: w.supervisor.cookie, body: { kind: 'paper_a', title: 'x' } })
    expect(res.status).toBe(403)
  })

  test('bodies are strict: unknown fields and bad kinds are 400', async () => {
    const w = await papersWorld()
    const bad = await w.app.call('POST', `/api/sessions/${w.sessions.theory}/papers`, { cookie: w.custodian.cookie, body: { kind: 'paper_c', title: 'x' } })
    expect(bad.status).toBe(400)
    const extra = await w.app.call('POST', `/api/sessions/${w.sessions.theory}/papers`, {
      cookie: w.custodian.cookie,
      body: { kind: 'paper_a', title: 'x', secret: 1 },
    })
    expect(extra.status).toBe(400)
  })
})

describe('packet labels', () => {
  test('the label is printable HTML with the QR text CUSTODY-PACKET:<id>, the room, copy range and a seal box; no script, no inline style', async () => {
    const w = await papersWorld({ seated: 30 })
    const { packets } = await printedFlow(w)
    const p = packets[0]!
    const res = await w.app.call('GET', `/packets/${p.id}/label`, { cookie: w.supervisor.cookie })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    const html = await res.text()
    expect(html).toContain(`alt="CUSTODY-PACKET:${p.id}"`)
    expect(html).toMatch(/<img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+"/)
    expect(html).toContain(`${String(p.copies.first).padStart(4, '0')} – ${String(p.copies.last).padStart(4, '0')}`)
    expect(html).toContain('封条编号')
    const roomName = Object.entries(w.rooms).find(([, id]) => id === p.roomId)![0]
    expect(html).toContain(`<th scope="row">考　　场</th><td>${roomName}</td>`)
    expect(html).toContain('<link rel="stylesheet" href="/print/packet-label.css">')
    expect(html).not.toMatch(/<script|style=|<style/)
    expect(html).toContain('sheet--a6')
    expect((await w.app.call('GET', `/print-jobs/${p.id}/labels`, { cookie: w.custodian.cookie })).status).toBe(404) // a packet id is not a job id
    const css = await w.app.call('GET', '/print/packet-label.css')
    expect(css.status).toBe(200)
    expect(await css.text()).toContain('@page')
  })

  test("a job's labels come on one page, four per A4 sheet when asked; without a login the label is 401", async () => {
    const w = await papersWorld({ seated: 80 })
    const { job, packets } = await printedFlow(w)
    const res = await w.app.call('GET', `/print-jobs/${job.id}/labels?size=a4`, { cookie: w.custodian.cookie })
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html.match(/class="label"/g)).toHaveLength(packets.length)
    expect(html.match(/sheet--a4/g)).toHaveLength(Math.ceil(packets.length / 4))
    expect((await w.app.call('GET', `/packets/${packets[0]!.id}/label`)).status).toBe(401)
    const reg = await w.app.call('GET', `/packets/${packets[0]!.id}/label`, { cookie: w.registrar.cookie })
    expect(reg.status).toBe(403)
  })

  test("the label's QR code is the encoder's code for exactly CUSTODY-PACKET:<id>", async () => {
    const w = await papersWorld({ seated: 10 })
    const { packets } = await printedFlow(w)
    const html = await (await w.app.call('GET', `/packets/${packets[0]!.id}/label`, { cookie: w.custodian.cookie })).text()
    const b64 = /data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)/.exec(html)![1]!
    const svg = Buffer.from(b64, 'base64').toString('utf8')
    const QRCode = (await import('qrcode')).default
    expect(svg).toBe(await QRCode.toString(`CUSTODY-PACKET:${packets[0]!.id}`, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }))
  })
})

describe('custody settings and master keys over HTTP', () => {
  test('settings: defaults until set; custodians write (logged); administrators and supervisors read only; bad values are 400', async () => {
    const w = await papersWorld()
    const url = `/api/batches/${w.batchId}/custody-settings`
    const first = (await (await w.app.call('GET', url, { cookie: w.supervisor.cookie })).json()) as { isDefault: boolean; settings: Record<string, number> }
    expect(first).toEqual({
      batchId: w.batchId,
      isDefault: true,
      settings: { opensMinutesBefore: 1440, closesMinutesBefore: 60, openMinutesBefore: 15, sparesPerRoom: 2 },
    })
    const wide = { opensMinutesBefore: 2880, closesMinutesBefore: 90, openMinutesBefore: 10, sparesPerRoom: 3 }
    expect((await w.app.call('PUT', url, { cookie: w.supervisor.cookie, body: wide })).status).toBe(403)
    // The administrator cannot move the decryption window (decision record 006).
    const byAdmin = await w.app.call('PUT', url, { cookie: w.admin.cookie, body: wide })
    expect([byAdmin.status, ((await byAdmin.json()) as ErrorBody).error.code]).toEqual([403, 'auth.forbidden'])
    const bad = await w.app.call('PUT', url, { cookie: w.custodian.cookie, body: { ...wide, closesMinutesBefore: 3000 } })
    expect([bad.status, ((await bad.json()) as ErrorBody).error.code]).toEqual([400, 'settings.invalid'])
    const from = w.app.services.log.size()
    const put = await w.app.call('PUT', url, { cookie: w.custodian.cookie, body: wide })
    expect(put.status).toBe(200)
    expect(eventsSince(w.app, from).map((e) => e.action)).toEqual(['custody.settings.updated'])
    expect(((await (await w.app.call('GET', url, { cookie: w.admin.cookie })).json()) as { isDefault: boolean }).isDefault).toBe(false)
    expect((await w.app.call('GET', '/api/batches/nope/custody-settings', { cookie: w.admin.cookie })).status).toBe(404)
    const list = (await (await w.app.call('GET', `/api/sessions/${w.sessions.theory}/papers`, { cookie: w.custodian.cookie })).json()) as {
      window: { opensAt: string }
    }
    expect(list.window.opensAt).toBe(new Date(THEORY_START - 2880 * 60_000).toISOString())
  })

  test('under the split key there is no plain master key to rotate: the rotation is refused (master_key.not_plain)', async () => {
    const w = await papersWorld()
    expect(((await (await w.app.call('GET', '/api/admin/master-keys', { cookie: w.admin.cookie })).json()) as { keys: unknown[] }).keys).toEqual([])
    const rot = await w.app.call('POST', '/api/admin/master-keys/rotate', { cookie: w.admin.cookie })
    expect([rot.status, ((await rot.json()) as ErrorBody).error.code]).toEqual([409, 'master_key.not_plain'])
  })

  test('an administrator rotates a plain master key (a data folder before the split key); papers printed before and after still decrypt', async () => {
    const w = await papersWorld({ legacy: true })
    const paper = await newPaper(w)
    const pdf = fakePdf(70_000)
    await putFile(w.app, w.custodian.cookie, paper.id, pdf)
    const before = (await (await w.app.call('GET', '/api/admin/master-keys', { cookie: w.admin.cookie })).json()) as {
      keys: Array<{ id: string; files: number }>
    }
    expect(before.keys).toHaveLength(1)
    expect((await w.app.call('POST', '/api/admin/master-keys/rotate', { cookie: w.custodian.cookie })).status).toBe(403)
    const rot = await w.app.call('POST', '/api/admin/master-keys/rotate', { cookie: w.admin.cookie })
    expect(rot.status).toBe(200)
    const r = (await rot.json()) as { keyId: string; rewrapped: number; retired: string[] }
    expect(r).toMatchObject({ rewrapped: 1, retired: [before.keys[0]!.id] })
    const after = (await (await w.app.call('GET', '/api/admin/master-keys', { cookie: w.admin.cookie })).json()) as { keys: unknown[] }
    expect(after.keys).toEqual([{ id: r.keyId, current: true, files: 1 }])
    const job = (await (await w.app.call('POST', `/api/papers/${paper.id}/print-jobs`, { cookie: w.custodian.cookie })).json()) as Job
    await w.app.call('POST', `/api/print-jobs/${job.id}/approve`, { cookie: w.custodian.cookie, body: { passphrase: w.custodian.passphrase } })
    await w.app.call('POST', `/api/print-jobs/${job.id}/approve`, { cookie: w.custodian2.cookie, body: { passphrase: w.custodian2.passphrase } })
    await moveTo(w, IN_WINDOW)
    const dec = await w.app.call('POST', `/api/print-jobs/${job.id}/decrypt`, { cookie: w.custodian.cookie })
    expect(Buffer.from(await dec.arrayBuffer()).equals(Buffer.from(pdf))).toBe(true)
  })

  test('a printed job cannot be cancelled; an open one can, by either custodian', async () => {
    const w = await papersWorld()
    const { paper, job } = await printedFlow(w)
    const late = await w.app.call('POST', `/api/print-jobs/${job.id}/cancel`, { cookie: w.custodian.cookie, body: { reason: 'too late' } })
    expect([late.status, ((await late.json()) as ErrorBody).error.code]).toEqual([409, 'print.wrong_state'])
    const next = (await (await w.app.call('POST', `/api/papers/${paper.id}/print-jobs`, { cookie: w.custodian.cookie })).json()) as Job
    expect(next.firstCopy).toBe(job.plannedCopies + 1)
    const cancel = await w.app.call('POST', `/api/print-jobs/${next.id}/cancel`, { cookie: w.custodian2.cookie })
    expect(((await cancel.json()) as Job).state).toBe('cancelled')
  })
})
