import { describe, expect, test } from 'vitest'
import type { Role } from '../server/domain/accounts/index.ts'
import { makeTestApp } from './_app.ts'
import { resultsFixture } from './_results.ts'

async function published(floorMs = 0) {
  const f = resultsFixture({ app: makeTestApp(), floorMs })
  const registrar = await f.app.userWith(['registrar'])
  f.setToday('2025-02-07')
  const res = await f.app.call('POST', '/api/batches/b1/results/publication', { cookie: registrar.cookie })
  expect(res.status).toBe(200)
  return { ...f, registrar }
}

const lookup = (f: Awaited<ReturnType<typeof published>>, ticketNumber: string, residentId: string, headers: Record<string, string> = {}) =>
  f.app.call('POST', '/api/public/results/lookup', { body: { ticketNumber, residentId }, headers })

describe('publication and reviews over HTTP: roles', () => {
  test('publication status: the earliest date and completeness, for registrar, verifier and supervisor; others refused', async () => {
    const f = resultsFixture()
    f.setToday('2025-02-06')
    for (const role of ['registrar', 'verifier', 'supervisor'] as Role[]) {
      const res = await f.app.call('GET', '/api/batches/b1/results/publication', { cookie: (await f.app.userWith([role])).cookie })
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ earliest: { date: '2025-02-07', provisional: false }, complete: true, publication: null, candidates: 2 })
    }
    for (const role of ['admin', 'custodian', 'invigilator'] as Role[]) {
      const res = await f.app.call('GET', '/api/batches/b1/results/publication', { cookie: (await f.app.userWith([role])).cookie })
      expect(res.status).toBe(403)
    }
    expect((await f.app.call('GET', '/api/batches/b1/results/publication')).status).toBe(401)
  })

  test('publishing a day early is 409 publication.too_early with the earliest date; a verifier may not publish', async () => {
    const f = resultsFixture()
    f.setToday('2025-02-06')
    const reg = await f.app.userWith(['registrar'])
    const res = await f.app.call('POST', '/api/batches/b1/results/publication', { cookie: reg.cookie })
    expect(res.status).toBe(409)
    expect(await res.json()).toMatchObject({ error: { code: 'publication.too_early', details: { earliest: '2025-02-07' } } })
    const ver = await f.app.userWith(['verifier'])
    expect((await f.app.call('POST', '/api/batches/b1/results/publication', { cookie: ver.cookie })).status).toBe(403)
  })

  test('a review: requested and changed at the desk, verified by a verifier, not by the registrar who changed it', async () => {
    const f = await published()
    f.setToday('2025-02-20')
    const req = await f.app.call('POST', '/api/batches/b1/reviews', { cookie: f.registrar.cookie, body: { candidateId: 'c2', subjectId: 's-theory' } })
    expect(req.status).toBe(200)
    const { id } = (await req.json()) as { id: string }
    expect((await f.app.call('POST', `/api/reviews/${id}/start`, { cookie: f.registrar.cookie, body: {} })).status).toBe(200)
    const changed = await f.app.call('POST', `/api/reviews/${id}/change`, { cookie: f.registrar.cookie, body: { reason: '漏计', score: 61 } })
    expect(changed.status).toBe(200)
    // the registrar holds no verifier role: the route refuses (403); a registrar+verifier who decided: review.same_person
    expect((await f.app.call('POST', `/api/reviews/${id}/verify`, { cookie: f.registrar.cookie, body: {} })).status).toBe(403)
    const verifier = await f.app.userWith(['verifier'])
    const ok = await f.app.call('POST', `/api/reviews/${id}/verify`, { cookie: verifier.cookie, body: {} })
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ state: 'verified', newScore: 61, verifiedByName: verifier.username })
    const list = (await (await f.app.call('GET', '/api/batches/b1/reviews', { cookie: verifier.cookie })).json()) as { reviews: unknown[] }
    expect(list.reviews).toHaveLength(1)
  })

  test('the decider holding both roles is refused as the second person (review.same_person)', async () => {
    const f = await published()
    f.setToday('2025-02-20')
    const both = await f.app.userWith(['registrar', 'verifier'])
    const req = await f.app.call('POST', '/api/batches/b1/reviews', { cookie: both.cookie, body: { candidateId: 'c1', subjectId: 's-theory' } })
    const { id } = (await req.json()) as { id: string }
    await f.app.call('POST', `/api/reviews/${id}/start`, { cookie: both.cookie, body: {} })
    await f.app.call('POST', `/api/reviews/${id}/uphold`, { cookie: both.cookie, body: { reason: '无误' } })
    const res = await f.app.call('POST', `/api/reviews/${id}/verify`, { cookie: both.cookie, body: {} })
    expect(res.status).toBe(403)
    expect(await res.json()).toMatchObject({ error: { code: 'review.same_person' } })
  })

  test('a review requested one day late is 409 review.too_late naming the deadline', async () => {
    const f = await published()
    f.setToday('2025-03-08')
    const res = await f.app.call('POST', '/api/batches/b1/reviews', { cookie: f.registrar.cookie, body: { candidateId: 'c2', subjectId: 's-theory' } })
    expect(res.status).toBe(409)
    const body = (await res.json()) as { error: { code: string; details: { deadline: string } } }
    expect(body.error.code).toBe('review.too_late')
    expect(body.error.details.deadline).toBe('2025-03-07')
  })
})

describe('the public lookup: own result only, one neutral answer, rate limited', () => {
  test('the right pair answers the candidate’s own result, name masked, without a session', async () => {
    const f = await published()
    const res = await lookup(f, 'T0002', '500101199001010015')
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body).toEqual({
      name: '李**',
      occupationName: '电工',
      occupationCode: '6-31-01-03',
      level: 4,
      batchTitle: '电工四级 2025 第一批',
      publishedOn: '2025-02-07',
      provisional: false,
      overall: 'failed',
      subjects: [
        { name: '理论知识', kind: 'theory', status: 'failed', score: 55, passMark: 60, maxMark: 100 },
        { name: '操作技能', kind: 'practical', status: 'passed', score: 90, passMark: 60, maxMark: 100 },
      ],
    })
    expect(JSON.stringify(body)).not.toContain('张')
    expect(JSON.stringify(body)).not.toContain('500101')
  })

  test('a lower-case x in the ID number is the same number', async () => {
    const f = await published()
    expect((await lookup(f, 't0001', '11010519491231002x')).status).toBe(200)
  })

  test('a wrong ID number answers exactly as an unknown ticket or unpublished results do, and reveals nothing', async () => {
    const f = await published()
    const wrongId = await lookup(f, 'T0002', '11010519491231002X') // another candidate's real ID number
    const unknown = await lookup(f, 'T9999', '500101199001010015')
    const answers = [wrongId, unknown]
    // a second, unpublished batch: right pair, still the same answer
    const g = resultsFixture({
      app: f.app,
      seed: { batchId: 'b2', candidates: [{ id: 'c7', name: '赵六', residentId: '500101198001010013', ticket: 'T0007', theory: 90, practical: 90 }] },
    })
    void g
    answers.push(await lookup(f, 'T0007', '500101198001010013'))
    const bodies = await Promise.all(answers.map((r) => r.text()))
    expect(answers.map((r) => r.status)).toEqual([404, 404, 404])
    expect(new Set(bodies).size).toBe(1)
    expect(JSON.parse(bodies[0]!)).toEqual({
      error: {
        code: 'lookup.not_found',
        message: '未查到成绩：请核对准考证号和身份证号，或成绩尚未公示',
        messageEn: 'No result found: check the ticket number and ID number, or the results are not published yet',
      },
    })
    const headers = answers.map((r) => [...r.headers.entries()].filter(([k]) => k !== 'date').sort())
    expect(headers[1]).toEqual(headers[0])
    expect(headers[2]).toEqual(headers[0])
  })

  test('taken-down results answer the same not-found', async () => {
    const f = await published()
    f.setToday('2025-02-14')
    expect((await f.app.call('POST', '/api/batches/b1/results/publication/take-down', { cookie: f.registrar.cookie })).status).toBe(200)
    expect((await lookup(f, 'T0002', '500101199001010015')).status).toBe(404)
  })

  test('the ID number is never written to the log', async () => {
    const f = await published()
    const from = f.app.services.log.size()
    await lookup(f, 'T0002', '110105194912310000')
    await lookup(f, 'T0002', '500101199001010015')
    const text = JSON.stringify(f.events(from))
    expect(text).not.toContain('110105194912310000')
    expect(text).not.toContain('500101199001010015')
  })

  test('wrong ID numbers for one ticket are limited: the 6th try is 429 lookup.rate_limited, even with the right number', async () => {
    const f = await published()
    for (let i = 0; i < 5; i++) expect((await lookup(f, 'T0002', `50010119900101${String(1000 + i)}`)).status).toBe(404)
    const limited = await lookup(f, 'T0002', '500101199001010015')
    expect(limited.status).toBe(429)
    expect(await limited.json()).toMatchObject({ error: { code: 'lookup.rate_limited' } })
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    // another ticket is not held up by it
    expect((await lookup(f, 'T0001', '11010519491231002X')).status).toBe(200)
    // after the window the right pair works again
    f.app.clock.now += 15 * 60_000
    expect((await lookup(f, 'T0002', '500101199001010015')).status).toBe(200)
  })

  test('one address trying many tickets is limited (no enumeration)', async () => {
    const f = await published()
    let last = 0
    for (let i = 0; i < 31; i++) last = (await lookup(f, `T${String(5000 + i)}`, '500101199001010015')).status
    expect(last).toBe(429)
  })

  test('a lookup needs the same-origin header like any POST (CSRF)', async () => {
    const f = await published()
    const res = await f.app.app.request('http://localhost/api/public/results/lookup', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' },
      body: JSON.stringify({ ticketNumber: 'T0002', residentId: '500101199001010015' }),
    })
    expect(res.status).toBe(403)
  })

  test('timing: a hit, a wrong ID number and an unknown ticket take roughly the same time (the floor)', async () => {
    const f = await published(60)
    const time = async (t: string, id: string) => {
      const start = performance.now()
      await (await lookup(f, t, id)).text()
      return performance.now() - start
    }
    const runs = { hit: [] as number[], wrongId: [] as number[], unknown: [] as number[] }
    for (let i = 0; i < 4; i++) {
      runs.hit.push(await time('T0001', '11010519491231002X'))
      runs.wrongId.push(await time('T0001', '500101199001010015'))
      runs.unknown.push(await time(`T7${i}`, '500101199001010015'))
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
    const m = [median(runs.hit), median(runs.wrongId), median(runs.unknown)]
    for (const x of m) expect(x).toBeGreaterThanOrEqual(55)
    expect(Math.max(...m) - Math.min(...m)).toBeLessThan(30)
  })
})
