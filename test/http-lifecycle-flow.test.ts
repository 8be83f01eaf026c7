import { describe, expect, test } from 'vitest'
import { makeTestApp } from './_app.ts'
import { CSV_HEADER, EXAM, announcedBatch, csvRow, idOf, importCsv, json, photoBase64 } from './_lifecycle-http.ts'

type Candidate = { id: string; name: string; status: string; hasPhoto: boolean; payment: { invoiceNumber: string } | null; details: { source: string } }

describe('a batch from plan to paid candidates, through the HTTP API', () => {
  test('occupation → plan → filed → announced → desk and CSV registration → review → fees → ready for tickets', async () => {
    const app = makeTestApp()
    const { cookie } = await app.userWith(['registrar'])
    const { batchId, announcementId, sessions, subjects } = await announcedBatch(app, cookie)

    // The filed plan made one exam session per sitting; the batch is announced.
    const batch = await json<{
      status: string
      filedOn: string
      sessions: Array<{ subjectId: string; startsAt: string; siteId: null }>
      announcementId: string
    }>(await app.call('GET', `/api/batches/${batchId}`, { cookie }), 200)
    expect(batch).toMatchObject({ status: 'announced', filedOn: '2026-10-15', announcementId })
    expect(batch.sessions.map((s) => [s.subjectId, s.startsAt, s.siteId])).toEqual([
      [subjects.theory, `${EXAM}T01:00:00.000Z`, null],
      [subjects.practical, `${EXAM}T06:00:00.000Z`, null],
    ])

    // The announcement is public (no session) as JSON and as a printable page.
    const pub = await json<{ levelName: string; content: { fees: string; conditions: string }; sessions: unknown[] }>(
      await app.call('GET', `/api/announcements/${announcementId}`),
      200,
    )
    expect(pub).toMatchObject({ levelName: '四级/中级工', content: { fees: '认定费 260.00 元/人', conditions: '取得五级证书后从事本职业4年以上' } })
    expect(pub.sessions).toHaveLength(2)
    const page = await app.call('GET', `/announcements/${announcementId}`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')
    const html = await page.text()
    for (const text of ['职业技能等级认定公告', '电工', '四级/中级工', '2026年12月10日', '2026-12-28 09:00–10:30', '认定费 260.00 元/人'])
      expect(html).toContain(text)
    expect(html).not.toMatch(/<script|style=/)
    expect((await app.call('GET', '/announcements/print.css')).headers.get('content-type')).toContain('text/css')

    // Desk registration with photo and a certificate; then a CSV import of two more.
    const pdf = Buffer.from('%PDF-1.4\n% test certificate\n').toString('base64')
    const desk = await json<Candidate & { attachments: Array<{ id: string; filename: string }> }>(
      await app.call('POST', `/api/batches/${batchId}/candidates`, {
        cookie,
        body: {
          name: '张三',
          residentId: idOf(0),
          phone: '13800138000',
          trainingUnit: '重庆某职业培训学校',
          workYears: 6,
          photoBase64: photoBase64('zhang'),
          attachments: [{ kind: 'certificate', filename: '五级证书.pdf', contentType: 'application/pdf', base64: pdf }],
        },
      }),
      201,
    )
    expect(desk).toMatchObject({ name: '张三', status: 'registered', hasPhoto: true, details: { source: 'desk' } })
    const att = await app.call('GET', `/api/candidates/${desk.id}/attachments/${desk.attachments[0]!.id}`, { cookie })
    expect(att.status).toBe(200)
    expect(Buffer.from(await att.arrayBuffer()).toString()).toContain('test certificate')
    expect((await app.call('GET', `/api/candidates/${desk.id}/photo`, { cookie })).headers.get('content-type')).toBe('image/png')

    const imported = await json<{ imported: number; candidateIds: string[] }>(
      await importCsv(app, cookie, batchId, [CSV_HEADER, csvRow('李四', idOf(1)), csvRow('王五', idOf(2), '另一培训机构')].join('\r\n')),
      201,
    )
    expect(imported.imported).toBe(2)
    const [li, wang] = imported.candidateIds as [string, string]
    await json(await app.call('PUT', `/api/candidates/${li}/photo`, { cookie, body: { photoBase64: photoBase64('li') } }), 200)

    // Review: two approved, one rejected with a reason.
    for (const id of [desk.id, li]) await json(await app.call('POST', `/api/candidates/${id}/moves`, { cookie, body: { action: 'approve' } }), 200)
    const rejected = await json<Candidate & { reviewReason: string }>(
      await app.call('POST', `/api/candidates/${wang}/moves`, { cookie, body: { action: 'reject', reason: '从业年限不足' } }),
      200,
    )
    expect(rejected).toMatchObject({ status: 'rejected', reviewReason: '从业年限不足' })

    // Fees: only approved candidates pay, one invoice each.
    await json(
      await app.call('POST', `/api/candidates/${desk.id}/payment`, {
        cookie,
        body: { invoiceNumber: 'FP-2026-0001', amountCents: 26000, paidOn: '2026-11-24' },
      }),
      201,
    )
    const list = await json<{ candidates: Candidate[] }>(await app.call('GET', `/api/batches/${batchId}/candidates`, { cookie }), 200)
    expect(list.candidates.map((c) => [c.name, c.status, c.payment?.invoiceNumber ?? null])).toEqual([
      ['张三', 'approved', 'FP-2026-0001'],
      ['李四', 'approved', null],
      ['王五', 'rejected', null],
    ])

    // What seating sees: only approved AND paid candidates sit, and the ticket facts are there.
    const lc = app.services.lifecycle
    for (const s of sessions) expect(lc.paidCandidatesOfSession(s.id)).toEqual([{ id: desk.id, trainingUnit: '重庆某职业培训学校' }])
    expect(lc.candidateForTicket(desk.id)).toMatchObject({
      name: '张三',
      residentId: idOf(0),
      photoType: 'image/png',
      status: 'approved',
      paid: true,
      level: 4,
      levelName: '四级/中级工',
      batch: { id: batchId, examStartDate: EXAM, place: '重庆工业职业技术学院 电气实训楼' },
      occupation: { code: '6-31-01-03', name: '电工' },
    })
    expect(lc.candidateForTicket(li)).toMatchObject({ paid: false })
    expect(lc.candidateForTicket('nobody')).toBeNull()

    // The custody log recorded each step, and no personal data: no name, ID number or phone number.
    const events = Array.from({ length: app.services.log.size() }, (_, i) => app.services.log.entry(i)!)
    const actions = events.map((e) => e.event.action)
    for (const a of [
      'occupation.created',
      'batch.created',
      'batch.updated',
      'batch.filed',
      'exam_session.created',
      'announcement.published',
      'candidate.registered',
      'batch.import',
      'candidate.photo_set',
      'candidate.approved',
      'candidate.rejected',
      'payment.recorded',
    ]) {
      expect(actions, a).toContain(a)
    }
    const registered = events.filter((e) => e.event.action === 'candidate.registered').map((e) => e.event)
    expect(registered.map((e) => e.data.source)).toEqual(['desk', 'import', 'import'])
    for (const e of registered) expect(e.data.residentIdHash).toMatch(/^[0-9a-f]{64}$/)
    const bytes = Buffer.concat(events.map((e) => Buffer.from(e.bytes))).toString('utf8')
    for (const pii of ['张三', '李四', '王五', idOf(0), idOf(1), idOf(2), '13800138000', '从业年限不足']) expect(bytes).not.toContain(pii)
  })

  test('supervisors read plans but not candidates; announcements need no login', async () => {
    const app = makeTestApp()
    const { cookie } = await app.userWith(['registrar'])
    const { batchId, announcementId } = await announcedBatch(app, cookie)
    const supervisor = await app.userWith(['supervisor'])
    expect((await app.call('GET', `/api/batches/${batchId}`, { cookie: supervisor.cookie })).status).toBe(200)
    expect((await app.call('GET', '/api/batches', { cookie: supervisor.cookie })).status).toBe(200)
    expect((await app.call('GET', `/api/batches/${batchId}/candidates`, { cookie: supervisor.cookie })).status).toBe(403)
    expect((await app.call('GET', '/api/announcements')).status).toBe(200)
    expect((await app.call('GET', `/api/announcements/${announcementId}`)).status).toBe(200)
    expect((await app.call('GET', '/api/announcements/nope')).status).toBe(404)
    expect((await app.call('GET', '/announcements/nope')).status).toBe(404)
  })
})
