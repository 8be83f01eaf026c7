import { describe, expect, it } from 'vitest'
import { gb18030 as encodeGb18030 } from './_gb18030.ts'
import { eventsSince } from './_rooms-fixture.ts'
import { type ScoresWorld, scoresWorld, theoryCsv } from './_scores-fixture.ts'

const enc = (s: string) => new TextEncoder().encode(s)
const line = (candidateId: string, itemId: string, score: number) => ({ candidateId, items: [{ itemId, score }] })
const count = (w: ScoresWorld, table: string) => (w.app.services.db.query(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n

/** Imports the theory file and has verifier key the same scores: the theory tally ends verified. */
function importAndKey(w: ScoresWorld, keyed: number[] = [85, 59.5, 72]) {
  const imp = w.scores.importTheory(w.fx.batchId, enc(theoryCsv(w)), w.registrar)
  if (!imp.ok) throw new Error(JSON.stringify(imp.error))
  return w.scores.secondEntry(
    w.fx.sessions.theory,
    keyed.map((s, i) => line(w.candidates[i]!.id, 'total', s)),
    w.verifier,
  )
}

describe('theory import (R7.1)', () => {
  it('imports a GB18030 file all at once, records who, when and the hash, and logs it', async () => {
    const w = await scoresWorld()
    const encoded = encodeGb18030(theoryCsv(w))
    expect(encoded.length).toBeLessThan(enc(theoryCsv(w)).length) // Chinese takes 2 bytes in GB18030, 3 in UTF-8
    const from = w.app.services.log.size()
    const r = w.scores.importTheory(w.fx.batchId, encoded, w.registrar)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.value.encoding).toBe('gb18030')
    expect(r.value.rows).toBe(3)
    expect(r.value.notInFile).toEqual([w.tickets.theory[3]])
    const imports = w.scores.imports(w.fx.batchId)
    expect(imports).toHaveLength(1)
    expect(imports[0]!.importedBy).toBe(w.registrar.user)
    expect(imports[0]!.fileSha256).toMatch(/^[0-9a-f]{64}$/)
    const actions = eventsSince(w.app, from).map((e) => e.action)
    expect(actions).toEqual(['score.imported', 'score.import_file'])
    const view = w.scores.tally(w.fx.sessions.theory, w.registrar)!
    expect(view.state).toBe('entered')
    expect(view.lines!.map((l) => l.items[0]!.score)).toEqual([85, 59.5, 72])
  })

  it('imports nothing when one row is bad, and reports every bad row', async () => {
    const w = await scoresWorld()
    const from = w.app.services.log.size()
    const r = w.scores.importTheory(w.fx.batchId, enc(theoryCsv(w, [85, 101, 'abc'])), w.registrar)
    expect(r.ok).toBe(false)
    if (r.ok || r.error.code !== 'score_import.invalid') throw new Error('expected a report')
    expect(r.error.errors.map((e) => [e.row, e.code])).toEqual([
      [3, 'score_import.score_range'],
      [4, 'score_import.score_format'],
    ])
    expect(count(w, 'score_imports')).toBe(0)
    expect(count(w, 'score_tallies')).toBe(0)
    expect(w.app.services.log.size()).toBe(from)
    expect(w.scores.sessions(w.fx.batchId)!.every((s) => s.state === 'none')).toBe(true)
  })

  it('refuses a second import of scored tickets (a change is an amendment with a reason)', async () => {
    const w = await scoresWorld()
    expect(w.scores.importTheory(w.fx.batchId, enc(theoryCsv(w)), w.registrar).ok).toBe(true)
    const again = w.scores.importTheory(w.fx.batchId, enc(theoryCsv(w)), w.registrar)
    expect(!again.ok && again.error.code).toBe('score_import.invalid')
    if (!again.ok && again.error.code === 'score_import.invalid') expect(again.error.errors[0]!.code).toBe('score_import.already_scored')
  })
})

describe('verification (R7.1)', () => {
  it('lists a double-entry disagreement and a third person resolves it with a reason', async () => {
    const w = await scoresWorld()
    const keyed = importAndKey(w, [85, 69.5, 72])
    expect(keyed.ok).toBe(true)
    if (!keyed.ok) return
    expect(keyed.value.state).toBe('disputed')
    expect(keyed.value.differences).toEqual([{ candidateId: w.candidates[1]!.id, itemId: 'total', first: 59.5, second: 69.5, resolved: null }])
    // The verifier cannot sign a disputed tally, nor resolve their own difference.
    expect(w.scores.sign(w.fx.sessions.theory, w.verifier)).toMatchObject({ ok: false, error: { code: 'score.wrong_state' } })
    const own = w.scores.resolve(w.fx.sessions.theory, { candidateId: w.candidates[1]!.id, itemId: 'total', value: 69.5, reason: '核对试卷' }, w.verifier)
    expect(own).toMatchObject({ ok: false, error: { code: 'score.resolver_is_keyer', rule: 'R7.1' } })
    // No reason: refused.
    const bare = w.scores.resolve(w.fx.sessions.theory, { candidateId: w.candidates[1]!.id, itemId: 'total', value: 69.5, reason: ' ' }, w.verifier2)
    expect(bare).toMatchObject({ ok: false, error: { code: 'score.reason_required' } })
    const r = w.scores.resolve(
      w.fx.sessions.theory,
      { candidateId: w.candidates[1]!.id, itemId: 'total', value: 69.5, reason: '调阅答卷，第二次录入正确' },
      w.verifier2,
    )
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.value.state).toBe('verified')
    expect(r.value.differences[0]!.resolved).toEqual({ value: 69.5, by: w.verifier2.user, reason: '调阅答卷，第二次录入正确' })
    const signed = w.scores.sign(w.fx.sessions.theory, w.verifier)
    expect(signed.ok && signed.value.state).toBe('signed')
    // Every value kept: import, second entry, resolution.
    const kinds = (w.app.services.db.query('SELECT kind FROM score_lines ORDER BY id').all() as Array<{ kind: string }>).map((x) => x.kind)
    expect(kinds).toEqual(['import', 'import', 'import', 'second_entry', 'second_entry', 'second_entry', 'resolve'])
  })

  it('refuses a verifier who is the person who imported or entered the scores', async () => {
    const w = await scoresWorld()
    const both = { ...w.registrar, roles: ['registrar', 'verifier'] }
    expect(w.scores.importTheory(w.fx.batchId, enc(theoryCsv(w)), both).ok).toBe(true)
    const from = w.app.services.log.size()
    const r = w.scores.secondEntry(w.fx.sessions.theory, [line(w.candidates[0]!.id, 'total', 85)], both)
    expect(r).toMatchObject({ ok: false, error: { code: 'score.verifier_is_importer', rule: 'R7.1' } })
    expect(w.app.services.log.size()).toBe(from)
    expect(w.scores.tally(w.fx.sessions.theory, both)!.state).toBe('entered')
  })

  it('hides the first entry from a verifier until they have keyed', async () => {
    const w = await scoresWorld()
    expect(w.scores.importTheory(w.fx.batchId, enc(theoryCsv(w)), w.registrar).ok).toBe(true)
    expect(w.scores.tally(w.fx.sessions.theory, w.verifier)!.lines).toBeNull()
    expect(w.scores.tally(w.fx.sessions.theory, w.registrar)!.lines).not.toBeNull()
  })

  it('checks practical scores against the signed sheets; an examiner who signed may not verify', async () => {
    const w = await scoresWorld()
    expect(w.scores.collect(w.fx.sessions.practical, w.registrar).ok).toBe(true)
    const examinerVerifier = { ...w.examiner, roles: ['verifier'] }
    expect(w.scores.checkSheet(w.fx.sessions.practical, examinerVerifier)).toMatchObject({ ok: false, error: { code: 'score.verifier_signed_sheet' } })
    const r = w.scores.checkSheet(w.fx.sessions.practical, w.verifier)
    expect(r.ok && r.value.state).toBe('verified')
    expect(w.scores.sign(w.fx.sessions.practical, w.verifier2)).toMatchObject({ ok: false, error: { code: 'score.signer_not_checker' } })
    expect(w.scores.sign(w.fx.sessions.practical, w.verifier).ok).toBe(true)
  })

  it('a change after signing needs a reason, then a new verification and a new signature', async () => {
    const w = await scoresWorld()
    importAndKey(w)
    expect(w.scores.sign(w.fx.sessions.theory, w.verifier).ok).toBe(true)
    const lines = [85, 62, 72].map((s, i) => line(w.candidates[i]!.id, 'total', s))
    expect(w.scores.amend(w.fx.sessions.theory, lines, '', w.registrar)).toMatchObject({ ok: false, error: { code: 'score.reason_required' } })
    const a = w.scores.amend(w.fx.sessions.theory, lines, '登分错误，原卷62分', w.registrar)
    expect(a.ok && a.value.state).toBe('entered')
    expect(a.ok && a.value.version).toBe(2)
    // Not counted any more until verified and signed anew.
    const pending = w.scores.batchResults(w.fx.batchId)!
    expect(pending.candidates[1]!.subjects.find((s) => s.kind === 'theory')!.status).toBe('pending')
    expect(w.scores.secondEntry(w.fx.sessions.theory, lines, w.verifier).ok).toBe(true)
    expect(w.scores.sign(w.fx.sessions.theory, w.verifier).ok).toBe(true)
    const after = w.scores.batchResults(w.fx.batchId)!
    expect(after.candidates[1]!.subjects.find((s) => s.kind === 'theory')).toMatchObject({ status: 'passed', score: 62 })
  })
})

describe('results', () => {
  it('reads absent and disqualified from the kiosk, and counts only signed tallies', async () => {
    const w = await scoresWorld()
    importAndKey(w)
    let r = w.scores.batchResults(w.fx.batchId)!
    expect(r.complete).toBe(false)
    expect(r.unfinished.map((u) => u.state).sort()).toEqual(['none', 'verified'])
    expect(w.scores.sign(w.fx.sessions.theory, w.verifier).ok).toBe(true)
    expect(w.scores.collect(w.fx.sessions.practical, w.registrar).ok).toBe(true)
    expect(w.scores.checkSheet(w.fx.sessions.practical, w.verifier).ok).toBe(true)
    expect(w.scores.sign(w.fx.sessions.practical, w.verifier).ok).toBe(true)
    r = w.scores.batchResults(w.fx.batchId)!
    expect(r.complete).toBe(true)
    const status = (i: number) => r.candidates.find((c) => c.candidateId === w.candidates[i]!.id)!
    expect(status(0).subjects.map((s) => [s.kind, s.status, s.score])).toEqual([
      ['theory', 'passed', 85],
      ['practical', 'passed', 80],
    ])
    expect(status(0).overall).toBe('passed')
    expect(status(1).subjects.map((s) => s.status)).toEqual(['failed', 'failed'])
    expect(status(1).overall).toBe('failed')
    expect(status(2).subjects.find((s) => s.kind === 'practical')!.status).toBe('disqualified')
    expect(status(3).subjects.find((s) => s.kind === 'theory')!.status).toBe('absent')
    expect(w.scores.batchResults('nope')).toBeNull()
  })

  it('a sitting not over yet (or suspended) leaves a missing admission pending, not absent', async () => {
    const w = await scoresWorld()
    const db = w.app.services.db
    const theoryOf = () =>
      w.scores
        .batchResults(w.fx.batchId)!
        .candidates.find((c) => c.candidateId === w.candidates[3]!.id)!
        .subjects.find((s) => s.kind === 'theory')!.status
    expect(theoryOf()).toBe('absent')
    const now = w.app.clock.now
    db.run("UPDATE exam_sessions SET status = 'scheduled', ends_at = ? WHERE id = ?", [now + 60_000, w.fx.sessions.theory])
    expect(theoryOf()).toBe('pending')
    db.run("UPDATE exam_sessions SET status = 'suspended', ends_at = ? WHERE id = ?", [now - 60_000, w.fx.sessions.theory])
    expect(theoryOf()).toBe('pending')
    db.run("UPDATE exam_sessions SET status = 'scheduled' WHERE id = ?", [w.fx.sessions.theory]) // past its end: over
    expect(theoryOf()).toBe('absent')
  })

  it('carries a pass still valid under R7.3', async () => {
    const w = await scoresWorld()
    const db = w.app.services.db
    const c = w.candidates[3]!
    const hash = (db.query('SELECT resident_id_hash AS h FROM candidates WHERE id = ?').get(c.id) as { h: string }).h
    db.run(
      "INSERT INTO subject_results (id, resident_id_hash, occupation_code, level, subject_kind, exam_date, passed, attempt, created_at) VALUES ('sr1', ?, ?, 4, 'theory', '2026-06-01', 1, 1, 0)",
      [hash, w.fx.occupationCode],
    )
    db.run('UPDATE tickets SET revoked_at = 1 WHERE candidate_id = ? AND exam_session_id = ?', [c.id, w.fx.sessions.theory])
    const r = w.scores.batchResults(w.fx.batchId)!
    expect(r.candidates.find((x) => x.candidateId === c.id)!.subjects.find((s) => s.kind === 'theory')).toMatchObject({
      status: 'passed',
      sessionId: null,
      carried: true,
    })
  })
})

describe('reviews (R7.3)', () => {
  it('a review change counts only once a second person verifies and signs it', async () => {
    const w = await scoresWorld()
    importAndKey(w)
    w.scores.sign(w.fx.sessions.theory, w.verifier)
    const c1 = w.candidates[1]!.id
    const bad = w.scores.reviseForReview({ reviewId: 'rv1', candidateId: c1, subjectId: 'subj-theory', score: 61, reason: '' }, w.registrar)
    expect(bad).toMatchObject({ ok: false, error: { code: 'score.reason_required' } })
    const p = w.scores.reviseForReview({ reviewId: 'rv1', candidateId: c1, subjectId: 'subj-theory', score: 61, reason: '复核发现漏计一题' }, w.registrar)
    expect(p.ok).toBe(true)
    if (!p.ok) return
    expect(p.value.sessionId).toBe(w.fx.sessions.theory)
    const theory = () =>
      w.scores
        .batchResults(w.fx.batchId)!
        .candidates.find((c) => c.candidateId === c1)!
        .subjects.find((s) => s.kind === 'theory')!
    expect(theory()).toMatchObject({ status: 'failed', score: 59.5 })
    const proposerAsVerifier = { ...w.registrar, roles: ['verifier'] }
    expect(w.scores.confirmReviewRevision(p.value.changeId, proposerAsVerifier)).toMatchObject({
      ok: false,
      error: { code: 'score.review_confirmer_is_proposer' },
    })
    expect(w.scores.confirmReviewRevision(p.value.changeId, w.registrar)).toMatchObject({ ok: false, error: { code: 'score.not_allowed_for_role' } })
    const from = w.app.services.log.size()
    const c = w.scores.confirmReviewRevision(p.value.changeId, w.verifier2)
    expect(c).toEqual({ ok: true, value: { sessionId: w.fx.sessions.theory } })
    expect(eventsSince(w.app, from).map((e) => e.action)).toEqual(['score.review_change_confirmed'])
    expect(theory()).toMatchObject({ status: 'passed', score: 61 })
    expect(w.scores.confirmReviewRevision(p.value.changeId, w.verifier2)).toMatchObject({ ok: false, error: { code: 'score.review_change_confirmed' } })
    const t = w.scores.tally(w.fx.sessions.theory, w.supervisor)!
    expect(t.state).toBe('signed')
    expect(t.version).toBe(2)
    expect(t.signedBy).toBe(w.verifier2.user)
  })

  it('runs inside the caller’s transaction and rolls back with it', async () => {
    const w = await scoresWorld()
    importAndKey(w)
    w.scores.sign(w.fx.sessions.theory, w.verifier)
    const db = w.app.services.db
    expect(() =>
      db.transaction(() => {
        const p = w.scores.reviseForReview(
          { reviewId: 'rv2', candidateId: w.candidates[0]!.id, subjectId: 'subj-theory', score: 90, reason: '复核' },
          w.registrar,
        )
        expect(p.ok).toBe(true)
        throw new Error('caller fails')
      })(),
    ).toThrow('caller fails')
    expect(count(w, 'score_review_changes')).toBe(0)
  })

  it('keeps history: lines and events cannot be changed', async () => {
    const w = await scoresWorld()
    importAndKey(w)
    expect(() => w.app.services.db.run('UPDATE score_lines SET items = ?', ['[]'])).toThrow(/append-only/)
    expect(() => w.app.services.db.run('DELETE FROM score_tally_events')).toThrow(/append-only/)
  })
})
