import { describe, expect, test } from 'vitest'
import { makeDemoPhotoPng } from '../server/demo/photo.ts'
import { makeTestApp } from './_app.ts'
import { EXAM, OCCUPATION, announcedBatch, at, idOf, json, lifecycleState, photoBase64 } from './_lifecycle-http.ts'

const COMPLETE = (date: string, subjects: { theory: string; practical: string }) => ({
  place: '实训楼',
  method: '笔试+实操',
  candidates: { scope: '社会人员', expected: 30 },
  staffing: { examiners: 2, invigilators: 2, supervisors: 0 },
  sessions: [
    { subjectId: subjects.theory, startsAt: at(date, '09:00'), endsAt: at(date, '10:30') },
    { subjectId: subjects.practical, startsAt: at(date, '14:00'), endsAt: at(date, '17:00') },
  ],
})

describe('every lifecycle refusal changes nothing and is logged as a refusal', () => {
  test('each refused request answers its code and appends exactly one refusal event', async () => {
    const app = makeTestApp()
    const reg = await app.userWith(['registrar'])
    const admin = await app.userWith(['admin'])
    const cookie = reg.cookie
    const { batchId, sessions, subjects } = await announcedBatch(app, cookie)
    const newBatch = async (date: string, plan: object | null) => {
      const b = await json<{ id: string }>(
        await app.call('POST', '/api/batches', {
          cookie,
          body: { title: `批次 ${date}`, occupationCode: OCCUPATION.code, level: 4, examStartDate: date, examEndDate: date },
        }),
        201,
      )
      if (plan) await json(await app.call('PATCH', `/api/batches/${b.id}`, { cookie, body: plan }), 200)
      return b.id
    }
    const incomplete = await newBatch('2026-12-30', null)
    const close = await newBatch('2026-12-01', COMPLETE('2026-12-01', subjects))
    const filed = await newBatch('2027-01-05', COMPLETE('2027-01-05', subjects))
    const far = await newBatch('2027-01-06', COMPLETE('2027-01-06', subjects))
    const past = await newBatch('2026-11-20', COMPLETE('2026-11-20', subjects))
    await json(await app.call('POST', `/api/batches/${filed}/file`, { cookie, body: { centreReference: 'ref' } }), 200)

    const person = { name: '张三', residentId: idOf(0), photoBase64: photoBase64() }
    const registered = await json<{ id: string }>(await app.call('POST', `/api/batches/${batchId}/candidates`, { cookie, body: person }), 201)
    const approved = await json<{ id: string }>(
      await app.call('POST', `/api/batches/${batchId}/candidates`, { cookie, body: { ...person, name: '李四', residentId: idOf(1) } }),
      201,
    )
    await json(await app.call('POST', `/api/candidates/${approved.id}/moves`, { cookie, body: { action: 'approve' } }), 200)
    const paid = await json<{ id: string }>(
      await app.call('POST', `/api/batches/${batchId}/candidates`, { cookie, body: { ...person, name: '王五', residentId: idOf(2) } }),
      201,
    )
    await json(await app.call('POST', `/api/candidates/${paid.id}/moves`, { cookie, body: { action: 'approve' } }), 200)
    await json(
      await app.call('POST', `/api/candidates/${paid.id}/payment`, { cookie, body: { invoiceNumber: 'FP-1', amountCents: 26000, paidOn: '2026-11-25' } }),
      201,
    )

    const holidays2027 = { year: 2027, source: '国办发明电〔2026〕X号', holidays: [{ date: '2027-01-01', name: '元旦' }], workdays: [] }
    const cases: Array<[string, string, string, unknown, number, string, string, Record<string, unknown>?]> = [
      ['a second occupation with the same code', 'POST', '/api/occupations', OCCUPATION, 409, 'occupation.exists', 'occupation.create'],
      [
        'a pass mark above the maximum',
        'POST',
        '/api/occupations',
        { ...OCCUPATION, code: 'X-1', levels: [{ level: 4, subjects: [{ kind: 'theory', name: 'x', passMark: 120, maxMark: 100 }] }] },
        400,
        'occupation.invalid',
        'occupation.create',
      ],
      [
        'dropping a level a batch plans',
        'PUT',
        `/api/occupations/${OCCUPATION.code}`,
        { ...OCCUPATION, levels: [OCCUPATION.levels[0]] },
        409,
        'occupation.in_use',
        'occupation.update',
      ],
      [
        'a holiday list with a weekday "workday"',
        'PUT',
        '/api/calendar/years/2027',
        { ...holidays2027, workdays: [{ date: '2027-01-04', name: '元旦' }] },
        400,
        'calendar.invalid',
        'calendar.import',
      ],
      ['a holiday list under another year', 'PUT', '/api/calendar/years/2028', holidays2027, 400, 'calendar.year_mismatch', 'calendar.import'],
      [
        'a plan for an unknown occupation',
        'POST',
        '/api/batches',
        { title: 't', occupationCode: '9-99', level: 4, examStartDate: EXAM, examEndDate: EXAM },
        400,
        'plan.invalid',
        'batch.create',
      ],
      ['editing an announced plan as a draft', 'PATCH', `/api/batches/${batchId}`, { title: 'x' }, 409, 'batch.wrong_state', 'batch.update'],
      [
        'filing an incomplete plan (R2.2)',
        'POST',
        `/api/batches/${incomplete}/file`,
        { centreReference: 'ref' },
        422,
        'plan.incomplete',
        'batch.file',
        { missingCount: 8 },
      ],
      [
        'filing 4 working days before the exam (R2.1)',
        'POST',
        `/api/batches/${close}/file`,
        { centreReference: 'ref' },
        422,
        'plan.too_late',
        'batch.file',
        { filedOn: '2026-11-25', earliestExamDate: '2026-12-09', workingDays: 4 },
      ],
      [
        'filing 4 working days before the exam with a backdated, referenced date (R2.1 counts from the recording date)',
        'POST',
        `/api/batches/${close}/file`,
        { centreReference: 'ref', documentedOn: '2026-11-03', documentReference: '渝职鉴函〔2026〕7号' },
        422,
        'plan.too_late',
        'batch.file',
        { filedOn: '2026-11-25', earliestExamDate: '2026-12-09', workingDays: 4 },
      ],
      [
        'filing a plan whose exam is past',
        'POST',
        `/api/batches/${past}/file`,
        { centreReference: 'ref' },
        422,
        'plan.exam_past',
        'batch.file',
        { examDate: '2026-11-20', earliestExamDate: '2026-12-09' },
      ],
      [
        'a documented filing date after today',
        'POST',
        `/api/batches/${far}/file`,
        { centreReference: 'ref', documentedOn: '2026-11-26', documentReference: 'd' },
        422,
        'plan.filed_on_future',
        'batch.file',
      ],
      [
        'a documented filing date without its reference',
        'POST',
        `/api/batches/${far}/file`,
        { centreReference: 'ref', documentedOn: '2026-11-24' },
        422,
        'plan.filed_on_unreferenced',
        'batch.file',
        { filedOn: '2026-11-24', today: '2026-11-25' },
      ],
      [
        'a documented filing date before the plan was created',
        'POST',
        `/api/batches/${far}/file`,
        { centreReference: 'ref', documentedOn: '2026-11-24', documentReference: 'd' },
        422,
        'plan.filed_on_before_plan',
        'batch.file',
        { earliestDate: '2026-11-25' },
      ],
      ['announcing a draft', 'POST', `/api/batches/${close}/announcement`, {}, 409, 'batch.wrong_state', 'announcement.publish'],
      [
        'announcing less than 2 months before the exam (R2.3)',
        'POST',
        `/api/batches/${filed}/announcement`,
        { contentAndMethod: 'x', registration: { place: 'p', until: '2026-12-20', how: 'h' }, conditions: 'c', fees: 'f' },
        422,
        'announcement.too_late',
        'announcement.publish',
        { publishedOn: '2026-11-25', latestPublicationDate: '2026-11-05', earliestExamDate: '2027-01-25' },
      ],
      [
        'announcing with a backdated, referenced publication date (R2.3 counts from the recording date)',
        'POST',
        `/api/batches/${filed}/announcement`,
        {
          documentedOn: '2026-11-01',
          documentReference: 'x',
          contentAndMethod: 'x',
          registration: { place: 'p', until: '2026-12-20', how: 'h' },
          conditions: 'c',
          fees: 'f',
        },
        422,
        'announcement.too_late',
        'announcement.publish',
        { publishedOn: '2026-11-25', latestPublicationDate: '2026-11-05' },
      ],
      [
        'moving a session without approval (R4.4)',
        'PATCH',
        `/api/sessions/${sessions[0]!.id}`,
        { startsAt: at(EXAM, '08:30') },
        422,
        'change.approval_required',
        'exam_session.change',
      ],
      [
        'changing the venue without approval (R4.4)',
        'PUT',
        `/api/batches/${batchId}/venue`,
        { place: '新校区' },
        422,
        'change.approval_required',
        'batch.change_venue',
      ],
      [
        'registering for a batch not yet announced',
        'POST',
        `/api/batches/${filed}/candidates`,
        { ...person, residentId: idOf(9) },
        409,
        'registration.not_open',
        'candidate.register',
      ],
      [
        'a resident ID with a wrong check character',
        'POST',
        `/api/batches/${batchId}/candidates`,
        { ...person, residentId: idOf(9).slice(0, 17) + (idOf(9).endsWith('1') ? '2' : '1') },
        400,
        'registration.invalid',
        'candidate.register',
        { errorsCount: 1 },
      ],
      [
        'a registration without photo',
        'POST',
        `/api/batches/${batchId}/candidates`,
        { name: '赵六', residentId: idOf(9) },
        400,
        'registration.photo_required',
        'candidate.register',
      ],
      [
        'a photo too small for the ticket',
        'POST',
        `/api/batches/${batchId}/candidates`,
        { ...person, residentId: idOf(9), photoBase64: Buffer.from(makeDemoPhotoPng(24, 32, 1)).toString('base64') },
        400,
        'registration.photo_invalid',
        'candidate.register',
      ],
      [
        'an attachment that is not what it says',
        'POST',
        `/api/batches/${batchId}/candidates`,
        { ...person, residentId: idOf(9), attachments: [{ kind: 'certificate', filename: 'a.pdf', contentType: 'application/pdf', base64: photoBase64() }] },
        400,
        'registration.attachment_invalid',
        'candidate.register',
      ],
      ['the same person twice in a batch', 'POST', `/api/batches/${batchId}/candidates`, person, 409, 'registration.duplicate', 'candidate.register'],
      [
        'another level than the batch',
        'POST',
        `/api/batches/${batchId}/candidates`,
        { ...person, residentId: idOf(9), level: 5 },
        422,
        'registration.not_this_batch',
        'candidate.register',
      ],
      [
        'a rejection without reason (R3.2)',
        'POST',
        `/api/candidates/${registered.id}/moves`,
        { action: 'reject' },
        400,
        'review.reason_required',
        'candidate.reject',
      ],
      ['approving twice', 'POST', `/api/candidates/${approved.id}/moves`, { action: 'approve' }, 409, 'candidate.wrong_state', 'candidate.approve'],
      [
        'a fee before approval (R3.3)',
        'POST',
        `/api/candidates/${registered.id}/payment`,
        { invoiceNumber: 'FP-2', amountCents: 26000, paidOn: '2026-11-25' },
        409,
        'fee.not_approved',
        'payment.record',
      ],
      [
        'an invoice number used before',
        'POST',
        `/api/candidates/${approved.id}/payment`,
        { invoiceNumber: 'FP-1', amountCents: 26000, paidOn: '2026-11-25' },
        409,
        'fee.invoice_taken',
        'payment.record',
      ],
      [
        'a second payment',
        'POST',
        `/api/candidates/${paid.id}/payment`,
        { invoiceNumber: 'FP-3', amountCents: 26000, paidOn: '2026-11-25' },
        409,
        'fee.already_paid',
        'payment.record',
      ],
      [
        'a payment dated tomorrow',
        'POST',
        `/api/candidates/${approved.id}/payment`,
        { invoiceNumber: 'FP-4', amountCents: 26000, paidOn: '2026-11-26' },
        422,
        'fee.paid_on_future',
        'payment.record',
      ],
    ]
    for (const [name, method, path, body, status, code, action, data] of cases) {
      const before = lifecycleState(app)
      const size = app.services.log.size()
      const res = await app.call(method, path, { cookie: path.startsWith('/api/calendar') ? admin.cookie : cookie, body })
      const answer = (await res.json()) as { error: { code: string } }
      expect([res.status, answer.error?.code], name).toEqual([status, code])
      expect(lifecycleState(app), `${name}: state changed`).toBe(before)
      expect(app.services.log.size(), `${name}: not one refusal event`).toBe(size + 1)
      expect(app.services.log.entry(size)!.event, name).toMatchObject({ action, outcome: 'refused', data: { code, method, path, ...data } })
    }
  })

  test('after the announced closing day registration is refused (registration.closed)', async () => {
    const app = makeTestApp()
    const { cookie } = await app.userWith(['registrar'])
    const { batchId } = await announcedBatch(app, cookie)
    app.clock.now = Date.parse('2026-12-11T00:00:00+08:00')
    const { cookie: cookie2 } = await app.userWith(['registrar']) // the first session expired with the clock
    const before = lifecycleState(app)
    const res = await app.call('POST', `/api/batches/${batchId}/candidates`, {
      cookie: cookie2,
      body: { name: '张三', residentId: idOf(0), photoBase64: photoBase64() },
    })
    expect(res.status).toBe(409)
    expect(await res.json()).toMatchObject({ error: { code: 'registration.closed', details: { until: '2026-12-10', today: '2026-12-11' } } })
    expect(lifecycleState(app)).toBe(before)
  })

  test('a refusal before any registration does not create the PII salt', async () => {
    const app = makeTestApp()
    const { cookie } = await app.userWith(['registrar'])
    const { batchId } = await announcedBatch(app, cookie)
    expect((await app.call('POST', `/api/batches/${batchId}/candidates`, { cookie, body: { name: '张三', residentId: idOf(0) } })).status).toBe(400)
    expect(app.services.db.query("SELECT count(*) AS n FROM settings WHERE key = 'pii_salt'").get()).toEqual({ n: 0 })
    await json(
      await app.call('POST', `/api/batches/${batchId}/candidates`, { cookie, body: { name: '张三', residentId: idOf(0), photoBase64: photoBase64() } }),
      201,
    )
    expect(app.services.db.query<{ value: string }, []>("SELECT value FROM settings WHERE key = 'pii_salt'").get()!.value).toMatch(/^[0-9a-f]{64}$/)
  })

  test('not-found and malformed requests are answered but not logged', async () => {
    const app = makeTestApp()
    const { cookie } = await app.userWith(['registrar'])
    const size = app.services.log.size()
    for (const [method, path, body, status] of [
      ['GET', '/api/batches/nope', undefined, 404],
      ['POST', '/api/batches/nope/file', { centreReference: 'r' }, 404],
      ['POST', '/api/candidates/nope/moves', { action: 'approve' }, 404],
      ['POST', '/api/batches', { title: 't', occupationCode: 'x', level: 4, examStartDate: '2026-02-30', examEndDate: '2026-03-01' }, 400],
      ['POST', '/api/batches', { title: 't', occupationCode: 'x', level: 4, examStartDate: '2026-03-01', examEndDate: '2026-03-01', secret: 1 }, 400],
      ['POST', '/api/candidates/nope/payment', { invoiceNumber: 'a b', amountCents: 1, paidOn: '2026-11-25' }, 400],
    ] as const) {
      const res = await app.call(method, path, { cookie, body })
      expect(res.status, `${method} ${path}`).toBe(status)
    }
    expect(app.services.log.size()).toBe(size)
  })
})

describe('recorded dates: the server records when a plan is filed and an announcement published (R2.1, R2.3)', () => {
  test('the refusal text names the earliest allowed exam date (plan.too_late)', async () => {
    const app = makeTestApp()
    const { cookie } = await app.userWith(['registrar'])
    const { subjects } = await announcedBatch(app, cookie)
    const b = await json<{ id: string }>(
      await app.call('POST', '/api/batches', {
        cookie,
        body: {
          title: '近期批次',
          occupationCode: OCCUPATION.code,
          level: 4,
          examStartDate: '2026-12-01',
          examEndDate: '2026-12-01',
          ...COMPLETE('2026-12-01', subjects),
        },
      }),
      201,
    )
    const res = await app.call('POST', `/api/batches/${b.id}/file`, {
      cookie,
      body: { centreReference: 'ref', documentedOn: '2026-11-03', documentReference: 'doc' },
    })
    const { error } = await json<{ error: { message: string; messageEn: string } }>(res, 422)
    expect(error.message).toContain('最早可考日期为 2026-12-09')
    expect(error.messageEn).toContain('the earliest allowed exam date is 2026-12-09')
    expect(app.services.lifecycle.batches.get(b.id)!.batch.status).toBe('draft')
  })

  test('a filing body naming its own filedOn is refused as invalid: the caller does not choose the recorded date', async () => {
    const app = makeTestApp()
    const { cookie } = await app.userWith(['registrar'])
    const { subjects } = await announcedBatch(app, cookie)
    const b = await json<{ id: string }>(
      await app.call('POST', '/api/batches', {
        cookie,
        body: {
          title: '近期批次',
          occupationCode: OCCUPATION.code,
          level: 4,
          examStartDate: '2026-12-01',
          examEndDate: '2026-12-01',
          ...COMPLETE('2026-12-01', subjects),
        },
      }),
      201,
    )
    const res = await app.call('POST', `/api/batches/${b.id}/file`, { cookie, body: { filedOn: '2026-01-05', centreReference: 'ref' } })
    expect(res.status).toBe(400)
    expect(app.services.lifecycle.batches.get(b.id)!.batch.status).toBe('draft')
  })

  test('a documented date stands beside the recorded date in the API and on the public announcement page, which shows the recorded date', async () => {
    const app = makeTestApp()
    const { cookie } = await app.userWith(['registrar'])
    const { subjects } = await announcedBatch(app, cookie)
    app.clock.now = Date.parse('2026-11-02T09:00:00+08:00')
    const b = await json<{ id: string }>(
      await app.call('POST', '/api/batches', {
        cookie,
        body: {
          title: '2027年第一批',
          occupationCode: OCCUPATION.code,
          level: 4,
          examStartDate: '2027-02-26',
          examEndDate: '2027-02-26',
          ...COMPLETE('2027-02-26', subjects),
        },
      }),
      201,
    )
    app.clock.now = Date.parse('2026-11-25T09:00:00+08:00')
    const filed = await json<Record<string, unknown>>(
      await app.call('POST', `/api/batches/${b.id}/file`, {
        cookie,
        body: { centreReference: '渝职鉴备〔2026〕120号', documentedOn: '2026-11-20', documentReference: '渝职鉴函〔2026〕31号' },
      }),
      200,
    )
    expect(filed).toMatchObject({ filedOn: '2026-11-25', filedOnDocumented: { date: '2026-11-20', reference: '渝职鉴函〔2026〕31号' } })
    const a = await json<{ id: string }>(
      await app.call('POST', `/api/batches/${b.id}/announcement`, {
        cookie,
        body: {
          documentedOn: '2026-11-21',
          documentReference: '渝人社公告〔2026〕9号',
          contentAndMethod: 'x',
          registration: { place: 'p', until: '2027-01-20', how: 'h' },
          fees: 'f',
        },
      }),
      201,
    )
    expect(await json(await app.call('GET', `/api/announcements/${a.id}`), 200)).toMatchObject({
      publishedOn: '2026-11-25',
      publishedOnDocumented: { date: '2026-11-21', reference: '渝人社公告〔2026〕9号' },
      filedOn: '2026-11-25',
    })
    const page = await (await app.call('GET', `/announcements/${a.id}`)).text()
    expect(page).toContain('发布日期：2026年11月25日（文件所载发布日期 2026年11月21日，文号：渝人社公告〔2026〕9号）')
    expect(page).toContain('已于2026年11月25日登记报备')
    expect(page).toContain('<p>2026年11月25日</p>')
    const events = app.services.log.store.indicesForSubject('batch', b.id).map((i) => app.services.log.entry(i)!.event)
    expect(events.find((e) => e.action === 'batch.filed')).toMatchObject({
      action: 'batch.filed',
      data: { filedOn: '2026-11-25', documentedOn: '2026-11-20', documentReference: '渝职鉴函〔2026〕31号' },
    })
  })
})
