import { describe, expect, it } from 'vitest'
import { eventsSince } from './_rooms-fixture.ts'
import { type ScoresWorld, scoresWorld, theoryCsv } from './_scores-fixture.ts'

const csvHeaders = { 'Content-Type': 'text/csv' }
const body = async (r: Response) => (await r.json()) as Record<string, unknown> & { error?: { code: string; details?: unknown } }
const tallies = (w: ScoresWorld) => (w.app.services.db.query('SELECT COUNT(*) AS n FROM score_tallies').get() as { n: number }).n

async function importTheory(w: ScoresWorld, csv = theoryCsv(w), cookie = w.registrar.cookie) {
  return w.app.call('POST', `/api/batches/${w.fx.batchId}/scores/theory-import`, { cookie, body: csv, headers: csvHeaders })
}
const key = (w: ScoresWorld, scores: number[], cookie = w.verifier.cookie) =>
  w.app.call('POST', `/api/scores/sessions/${w.fx.sessions.theory}/second-entry`, {
    cookie,
    body: { lines: scores.map((s, i) => ({ candidateId: w.candidates[i]!.id, items: [{ itemId: 'total', score: s }] })) },
  })

describe('scores over HTTP', () => {
  it('lists sessions for registrar, verifier and supervisor; refuses other roles (logged)', async () => {
    const w = await scoresWorld()
    for (const p of [w.registrar, w.verifier, w.supervisor]) {
      const r = await w.app.call('GET', `/api/batches/${w.fx.batchId}/scores`, { cookie: p.cookie })
      expect(r.status).toBe(200)
      const b = (await r.json()) as { sessions: Array<{ kind: string; state: string }> }
      expect(b.sessions.map((s) => [s.kind, s.state])).toEqual([
        ['theory', 'none'],
        ['practical', 'none'],
      ])
    }
    const from = w.app.services.log.size()
    const r = await w.app.call('GET', `/api/batches/${w.fx.batchId}/scores`, { cookie: w.examiner.cookie })
    expect(r.status).toBe(403)
    expect(eventsSince(w.app, from).map((e) => [e.action, e.outcome])).toEqual([['request.refused', 'refused']])
    expect((await w.app.call('GET', '/api/batches/nope/scores', { cookie: w.registrar.cookie })).status).toBe(404)
    expect((await w.app.call('GET', `/api/batches/${w.fx.batchId}/scores`)).status).toBe(401)
  })

  it('imports a CSV (registrar only), reports bad rows and changes nothing on refusal', async () => {
    const w = await scoresWorld()
    expect((await importTheory(w, theoryCsv(w), w.verifier.cookie)).status).toBe(403)
    const json = await w.app.call('POST', `/api/batches/${w.fx.batchId}/scores/theory-import`, { cookie: w.registrar.cookie, body: { x: 1 } })
    expect(json.status).toBe(415)
    const bad = await importTheory(w, theoryCsv(w, [85, 120, 72]))
    expect(bad.status).toBe(422)
    const b = await body(bad)
    expect(b.error!.code).toBe('score_import.invalid')
    expect((b.error!.details as { errors: Array<{ row: number; code: string }> }).errors).toEqual([
      expect.objectContaining({ row: 3, code: 'score_import.score_range' }),
    ])
    expect(tallies(w)).toBe(0)
    const ok = await importTheory(w)
    expect(ok.status).toBe(201)
    expect(await ok.json()).toMatchObject({ rows: 3, encoding: 'utf-8', notInFile: [w.tickets.theory[3]] })
  })

  it('accepts the file as multipart form data', async () => {
    const w = await scoresWorld()
    const form = new FormData()
    form.append('file', new File([theoryCsv(w)], 'scores.csv', { type: 'text/csv' }))
    const r = await w.app.app.request(`http://localhost/api/batches/${w.fx.batchId}/scores/theory-import`, {
      method: 'POST',
      headers: { Origin: 'http://localhost', Cookie: w.registrar.cookie },
      body: form,
    })
    expect(r.status).toBe(201)
  })

  it('keys blind, lists differences, resolves by a third person, signs; results show', async () => {
    const w = await scoresWorld()
    await importTheory(w)
    const blind = await body(await w.app.call('GET', `/api/scores/sessions/${w.fx.sessions.theory}`, { cookie: w.verifier.cookie }))
    expect(blind.lines).toBeNull()
    // A registrar may not key the second entry.
    expect((await key(w, [85, 59.5, 72], w.registrar.cookie)).status).toBe(403)
    const disputed = await body(await key(w, [85, 95, 72]))
    expect(disputed.state).toBe('disputed')
    expect(disputed.differences).toEqual([{ candidateId: w.candidates[1]!.id, itemId: 'total', first: 59.5, second: 95, resolved: null }])
    const resolveAs = (cookie: string, reason = '调阅答卷') =>
      w.app.call('POST', `/api/scores/sessions/${w.fx.sessions.theory}/resolve`, {
        cookie,
        body: { candidateId: w.candidates[1]!.id, itemId: 'total', value: 59.5, reason },
      })
    const own = await resolveAs(w.verifier.cookie)
    expect(own.status).toBe(403)
    expect((await body(own)).error!.code).toBe('score.resolver_is_keyer')
    expect((await resolveAs(w.verifier2.cookie, '')).status).toBe(400)
    expect((await resolveAs(w.verifier2.cookie)).status).toBe(200)
    const notChecker = await w.app.call('POST', `/api/scores/sessions/${w.fx.sessions.theory}/sign`, { cookie: w.verifier2.cookie })
    expect((await body(notChecker)).error!.code).toBe('score.signer_not_checker')
    const signed = await w.app.call('POST', `/api/scores/sessions/${w.fx.sessions.theory}/sign`, { cookie: w.verifier.cookie })
    expect((await body(signed)).state).toBe('signed')
    const results = await w.app.call('GET', `/api/batches/${w.fx.batchId}/scores/results`, { cookie: w.supervisor.cookie })
    expect(results.status).toBe(200)
    const rb = (await results.json()) as { complete: boolean; candidates: Array<{ name: string; subjects: Array<{ kind: string; status: string }> }> }
    expect(rb.complete).toBe(false)
    expect(rb.candidates[0]!.name).toBe(w.candidates[0]!.name)
    expect(rb.candidates[0]!.subjects.find((s) => s.kind === 'theory')!.status).toBe('passed')
    expect(rb.candidates[3]!.subjects.find((s) => s.kind === 'theory')!.status).toBe('absent')
  })

  it('refuses a verifier who imported, and a change after signing without a reason; nothing changes', async () => {
    const w = await scoresWorld()
    const both = await w.app.userWith(['registrar', 'verifier'])
    expect((await importTheory(w, theoryCsv(w), both.cookie)).status).toBe(201)
    const from = w.app.services.log.size()
    const r = await key(w, [85, 59.5, 72], both.cookie)
    expect(r.status).toBe(403)
    const b = await body(r)
    expect(b.error!.code).toBe('score.verifier_is_importer')
    expect((b.error as unknown as { messageEn: string }).messageEn).toContain('R7.1')
    expect(eventsSince(w.app, from).map((e) => [e.action, e.outcome])).toEqual([['score.key', 'refused']])
    const t = await body(await w.app.call('GET', `/api/scores/sessions/${w.fx.sessions.theory}`, { cookie: w.registrar.cookie }))
    expect(t.state).toBe('entered')
    const amend = await w.app.call('POST', `/api/scores/sessions/${w.fx.sessions.theory}/amend`, {
      cookie: w.registrar.cookie,
      body: { lines: [{ candidateId: w.candidates[0]!.id, items: [{ itemId: 'total', score: 80 }] }], reason: '' },
    })
    expect(amend.status).toBe(400)
  })

  it('collects practical sheets and checks against them', async () => {
    const w = await scoresWorld()
    const p = w.fx.sessions.practical
    expect((await w.app.call('POST', `/api/scores/sessions/${p}/collect`, { cookie: w.verifier.cookie })).status).toBe(403)
    expect((await w.app.call('POST', `/api/scores/sessions/${w.fx.sessions.theory}/collect`, { cookie: w.registrar.cookie })).status).toBe(409)
    expect((await w.app.call('POST', `/api/scores/sessions/${p}/collect`, { cookie: w.registrar.cookie })).status).toBe(200)
    const c = await body(await w.app.call('POST', `/api/scores/sessions/${p}/check-sheet`, { cookie: w.verifier.cookie }))
    expect(c.state).toBe('verified')
    expect((await w.app.call('POST', '/api/scores/sessions/nope/sign', { cookie: w.verifier.cookie })).status).toBe(404)
  })
})
