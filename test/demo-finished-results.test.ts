import { describe, expect, test } from 'vitest'
import { LogStore } from '../server/db/log-store.ts'
import { checkWholeLog } from '../server/services/log-check.ts'
import { type FinishedBatchApp, finishedBatchApp } from './_finished-batch.ts'

const w: FinishedBatchApp = await finishedBatchApp(undefined, true)
const s = w.app.services
const r = w.results!
const b = w.batch
const byRole = (...roles: string[]) => b.candidates.filter((c) => roles.includes(c.role)).map((c) => c.id)
// who passed everything, by the story alone (the planned scores, the review's new score), not by the services
const passedByStory = b.candidates
  .filter((c) => c.theoryScore !== null && c.theoryScore >= 60 && (c.reviewedPracticalScore ?? c.practicalScore ?? 0) >= 60 && c.practicalScore !== null)
  .map((c) => c.id)

describe('the finished batch carried through scores, publication, a review, certificates and a reissue', () => {
  test('scores: both tallies verified and signed, the keying slip resolved by a second verifier with a reason', () => {
    const status = s.results.status(b.batchId)!
    expect(status.complete).toBe(true)
    const verifier2 = s.accounts.list().find((u) => u.username === 'verifier2')!
    const theory = s.scores.tally(b.sessions.theory, { user: verifier2.id, name: verifier2.displayName, roles: ['verifier'] })!
    const resolved = (theory as unknown as { differences: Array<{ resolved: { by: string; reason: string } | null }> }).differences
    expect(resolved).toHaveLength(1)
    expect(resolved[0]!.resolved).toMatchObject({ by: verifier2.id })
    expect(resolved[0]!.resolved!.reason.length).toBeGreaterThan(0)
  })

  test('results are published on the earliest allowed day (R7.2)', () => {
    const status = s.results.status(b.batchId)!
    expect(status.publication?.publishedOn).toBe(status.earliest.date)
    expect(r.publishedOn).toBe(status.earliest.date)
  })

  test('the review was verified and the published practical score is 63', () => {
    const review = s.results.review(r.reviewId)!
    expect(review).toMatchObject({ state: 'verified', outcome: 'changed', open: false })
    const row = s.results.publishedResults(b.batchId)!.find((c) => c.candidateId === b.roles.review)!
    expect(row.subjects.find((x) => x.subjectId === b.subjects.practical)).toMatchObject({ score: 63, status: 'passed' })
    expect(row.overall).toBe('passed')
  })

  test('certificates went to exactly the candidates who passed everything', () => {
    expect(new Set(r.certified)).toEqual(new Set(passedByStory))
    expect(new Set(s.certificates.certifiedCandidates(b.batchId))).toEqual(new Set(passedByStory))
    for (const id of byRole('absent_theory', 'absent_practical', 'cheater', 'fails_theory')) expect(r.certified).not.toContain(id)
    expect(r.certified).toContain(b.roles.review)
  })

  test('the lost certificate is revoked and its replacement is valid; the public verify says so', () => {
    expect(s.certificates.verify(r.validNumber)).toMatchObject({ status: 'valid' })
    expect(s.certificates.verify(r.revokedNumber)).toMatchObject({ status: 'revoked', replacedBy: r.replacementNumber })
    expect(s.certificates.verify(r.replacementNumber)).toMatchObject({ status: 'valid', replaces: r.revokedNumber })
    expect(s.certificates.certificate(r.replacementNumber)!.candidateId).toBe(b.roles.reissue)
  })

  test('the public results lookup answers for the printed ticket and ID number', async () => {
    const found = await s.results.lookup(r.lookup, '198.51.100.7')
    expect(found).toMatchObject({ ok: true, value: { overall: 'passed', publishedOn: r.publishedOn } })
    const wrongId = await s.results.lookup({ ...r.lookup, residentId: '110101199001011237' }, '198.51.100.7')
    expect(wrongId).toMatchObject({ ok: false, error: { code: 'lookup.not_found' } })
  })

  test('the year statistics show the batch with the story counts', () => {
    const y = s.statistics.year(Number(b.dates.practicalOn.slice(0, 4)))
    if (!y.ok) throw new Error(y.error.code)
    const facts = y.value.batches.find((x) => x.batchId === b.batchId)!
    expect(facts).toMatchObject({
      registered: b.candidates.length,
      // still approved: not the rejected one, not the one who withdrew before paying
      approved: b.candidates.filter((c) => c.role !== 'rejected' && c.role !== 'withdrawn').length,
      sat: b.candidates.filter((c) => c.theoryScore !== null || c.practicalScore !== null).length,
      passed: passedByStory.length,
      certified: passedByStory.length,
      incidents: 2, // the confirmed phone in theory, and the candidate taken ill in the practical hall
    })
  })

  test('the custody log verifies and its times never go back', () => {
    expect(checkWholeLog(new LogStore(s.db), s.log.identity())).toMatchObject({ ok: true, size: s.log.size() })
    const ts: string[] = []
    for (let i = 0; i < s.log.size(); i++) ts.push(s.log.entry(i)!.event.time)
    expect(ts.every((t, i) => i === 0 || ts[i - 1]! <= t)).toBe(true)
    expect(ts.at(-1)!.slice(0, 7)).toBe('2026-11')
  })
})
