/**
 * The finished batch after its exam, recorded as it happened, each step by the proper demo person on a working
 * day: scores (theory import, practical tally, verification, signatures — R7.1), publication on the earliest day
 * (R7.2), a review that raises a practical score (R7.3), certificates (R8.1) and one reissue (R8.3).
 */
import type { Services } from '../app.ts'
import type { Result } from '../domain/_result.ts'
import type { Role } from '../domain/accounts/index.ts'
import { type CivilDate, addDays } from '../domain/calendar/index.ts'
import type { Person } from '../services/_acting.ts'
import type { DemoClock } from './clock.ts'
import type { FinishedBatch } from './finished-batch.ts'

/** What a newcomer can try after the demo loaded. */
export interface FinishedResults {
  publishedOn: CivilDate
  reviewId: string
  /** A valid certificate of a candidate who passed everything. */
  validNumber: string
  /** The lost certificate, revoked on reissue, and its replacement. */
  revokedNumber: string
  replacementNumber: string
  /** A ticket and the holder's ID number for the public results lookup. */
  lookup: { ticketNumber: string; residentId: string }
  /** The candidates certified, by id. */
  certified: string[]
}

const must = <T, E>(r: Result<T, E>, what: string): T => {
  if (!r.ok) throw new Error(`finished-results demo: ${what}: ${JSON.stringify(r.error)}`)
  return r.value
}
const at = (date: CivilDate, time: string): number => Date.parse(`${date}T${time}:00+08:00`)

/** The deliberate keying slip of the verifier's blind second entry (one theory score, off by ten). */
const SLIP = 10

export async function loadFinishedResults(s: Services, clock: DemoClock, batch: FinishedBatch): Promise<FinishedResults> {
  const cal = s.lifecycle.calendar.calendar()
  const users = new Map(s.accounts.list().map((u) => [u.username, u]))
  const person = (username: string, roles: Role[]): Person => {
    const u = users.get(username)
    if (!u) throw new Error(`finished-results demo: no demo user ${username}`)
    return { user: u.id, name: u.displayName, roles }
  }
  const registrar = person('registrar', ['registrar'])
  const verifier = person('verifier', ['verifier'])
  const verifier2 = person('verifier2', ['verifier'])
  const supervisor = person('supervisor', ['supervisor'])
  const admin = person('admin', ['admin'])
  // Working day `n` after `from` (0: `from` itself if working), at a time of day; the clock never goes back.
  const workingDay = (from: CivilDate, n: number): CivilDate => {
    let d = from
    while (!cal.isWorkingDay(d).working) d = addDays(d, 1)
    return n === 0 ? d : cal.addWorkingDays(d, n).date
  }
  const step = (date: CivilDate, time: string) => {
    const t = at(date, time)
    clock.to(Math.max(t, clock() + 60_000))
  }
  const exam = batch.dates.practicalOn

  // 1. Scores (R7.1): the marking system's theory file, then the signed practical sheets.
  const day1 = workingDay(addDays(exam, 1), 1)
  step(day1, '09:30')
  const theorySat = batch.candidates.filter((c) => c.theoryScore !== null && c.tickets.theory)
  const csv = ['准考证号,姓名,科目,成绩', ...theorySat.map((c) => `${c.tickets.theory},${c.name},理论知识,${c.theoryScore}`)].join('\r\n')
  must(s.scores.importTheory(batch.batchId, new TextEncoder().encode(csv), registrar), 'theory import')
  step(day1, '10:15')
  must(s.scores.collect(batch.sessions.practical, registrar), 'practical tally')
  // The verifier keys the theory scores blind from the marked papers, slipping once.
  step(day1, '14:00')
  const slipped = theorySat.find((c) => c.role === 'passes')!
  const keyed = theorySat.map((c) => ({
    candidateId: c.id,
    items: [{ itemId: 'total', score: c.id === slipped.id ? c.theoryScore! - SLIP : c.theoryScore! }],
  }))
  must(s.scores.secondEntry(batch.sessions.theory, keyed, verifier), 'theory second entry')
  // A second verifier settles the difference from the marked paper (not the one who keyed it).
  const day2 = workingDay(day1, 1)
  step(day2, '09:40')
  must(
    s.scores.resolve(
      batch.sessions.theory,
      { candidateId: slipped.id, itemId: 'total', value: slipped.theoryScore!, reason: '调阅答卷，阅卷系统成绩正确，第二次录入有误' },
      verifier2,
    ),
    'resolve slip',
  )
  step(day2, '10:10')
  must(s.scores.sign(batch.sessions.theory, verifier), 'sign theory')
  step(day2, '10:40')
  must(s.scores.checkSheet(batch.sessions.practical, verifier), 'check practical sheets')
  step(day2, '11:00')
  must(s.scores.sign(batch.sessions.practical, verifier), 'sign practical')

  // 2. Publication on the earliest allowed day (R7.2).
  const status = s.results.status(batch.batchId)
  if (!status) throw new Error('finished-results demo: no publication status')
  step(status.earliest.date, '09:00')
  const published = must(s.results.publish(batch.batchId, registrar), 'publish')

  // 3. A review (R7.3): asked within the publication period, practical 58 → 63, verified by a second person.
  const review = batch.candidates.find((c) => c.id === batch.roles.review)!
  const askOn = workingDay(published.publishedOn, 1)
  step(askOn, '10:20')
  const asked = must(
    s.results.requestReview(
      { batchId: batch.batchId, candidateId: review.id, subjectId: batch.subjects.practical, reason: '考生来电申请复核实操成绩' },
      registrar,
    ),
    'review request',
  )
  step(askOn, '14:30')
  must(s.results.moveReview(asked.id, 'start', registrar), 'review start')
  const reviewOn = workingDay(askOn, 1)
  step(reviewOn, '10:00')
  must(
    s.results.moveReview(asked.id, 'change', registrar, {
      score: review.reviewedPracticalScore ?? 63,
      reason: '调阅评分表与录像：第 3 项接线工艺漏计 5 分',
    }),
    'review change',
  )
  step(reviewOn, '15:00')
  must(s.results.moveReview(asked.id, 'verify', verifier, { reason: '核对评分表与录像，改分无误' }), 'review verify')

  // 4. Certificates (R8.1): the body's number, the centre's approval, then every eligible candidate.
  step(reviewOn, '16:00')
  must(
    s.certificates.setBodyConfig(admin, {
      category: 'S',
      ministryCode: '0000',
      provinceCode: '50',
      sequenceCode: '000321',
      name: '重庆市渝新职业技能评价中心（演示）',
    }),
    'body config',
  )
  step(workingDay(reviewOn, 1), '09:30')
  must(s.certificates.recordApproval(registrar, batch.batchId, '渝职鉴〔2026〕112号'), 'approval')
  const issueOn = workingDay(addDays(published.lastDay, 1), 0)
  step(issueOn, '10:00')
  const checklist = s.certificates.checklist(batch.batchId)
  if (!checklist) throw new Error('finished-results demo: no checklist')
  const numbers = new Map<string, string>()
  for (const row of checklist.candidates.filter((r) => r.missing.length === 0 && !r.certificate)) {
    clock.advance(60_000)
    numbers.set(row.candidateId, must(s.certificates.issue(registrar, batch.batchId, row.candidateId), `issue ${row.candidateId}`).number)
  }

  // 5. Reissue (R8.3): in late November the holder reports the certificate lost; the supervisor approves.
  const lost = batch.candidates.find((c) => c.id === batch.roles.reissue)!
  const lostNumber = numbers.get(lost.id)
  if (!lostNumber) throw new Error('finished-results demo: the reissue candidate got no certificate')
  const reportOn = workingDay(`${exam.slice(0, 4)}-11-23` as CivilDate, 0)
  step(reportOn, '10:30')
  const req = must(
    s.certificates.requestReissue(registrar, lostNumber, { residentId: lost.residentId, reason: '证书搬家时遗失，本人持身份证申请补发' }),
    'reissue request',
  )
  step(reportOn, '15:00')
  const decided = must(s.certificates.decideReissue(supervisor, req.id, { approve: true, note: '核对身份证与登记信息一致' }), 'reissue approve')
  const replacement = decided.certificate?.number
  if (!replacement) throw new Error('finished-results demo: the reissue gave no new number')

  const shown = batch.candidates.find((c) => c.role === 'passes' && numbers.has(c.id))!
  return {
    publishedOn: published.publishedOn,
    reviewId: asked.id,
    validNumber: numbers.get(shown.id)!,
    revokedNumber: lostNumber,
    replacementNumber: replacement,
    lookup: { ticketNumber: shown.tickets.practical ?? shown.tickets.theory!, residentId: shown.residentId },
    certified: [...numbers.keys()],
  }
}
