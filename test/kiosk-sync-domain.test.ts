import { describe, expect, test } from 'vitest'
import {
  type AdmissionFacts,
  ADMISSION_REFUSALS,
  LATE_UPLOAD_MS,
  arrivalFlags,
  classifyArrival,
  judgeAdmission,
  mergeFlags,
} from '../server/domain/kiosk/index.ts'

const START = Date.parse('2026-12-12T01:00:00Z')
const MIN = 60_000
const claim = { ticketNumber: 'T-1', candidateId: 'c1', sessionId: 's1', roomId: 'r101', deviceId: 'd1', at: START - 5 * MIN }
const good: AdmissionFacts = {
  ticket: { candidateId: 'c1', sessionId: 's1', roomId: 'r101', revoked: false },
  session: { status: 'scheduled', startsAt: START },
  seatedHere: true,
  earlier: [],
}
const earlierHere = { recordId: 'rec-0', roomId: 'r101', deviceId: 'd1', at: START - 20 * MIN }
const earlierElsewhere = { recordId: 'rec-0', roomId: 'r102', deviceId: 'd2', at: START - 20 * MIN }

describe('judgeAdmission: what the server would have said online, in the contract’s order', () => {
  const table: Array<[string, Partial<AdmissionFacts>, Partial<typeof claim>, string | null]> = [
    ['a good admission', {}, {}, null],
    ['a ticket number the server never issued', { ticket: null }, {}, 'forged'],
    ['a number issued to another candidate', { ticket: { ...good.ticket!, candidateId: 'c2' } }, {}, 'forged'],
    ['a revoked ticket', { ticket: { ...good.ticket!, revoked: true } }, {}, 'revoked'],
    ['a ticket of another session', { ticket: { ...good.ticket!, sessionId: 's2' } }, {}, 'wrong_session'],
    ['a suspended session (停考, R5.4)', { session: { status: 'suspended', startsAt: START } }, {}, 'suspended'],
    ['a ticket of another room', { ticket: { ...good.ticket!, roomId: 'r102' } }, {}, 'wrong_room'],
    ['a candidate no longer seated here', { seatedHere: false }, {}, 'not_on_roster'],
    ['31 minutes before the start', {}, { at: START - 31 * MIN }, 'too_early'],
    ['exactly when the doors open', {}, { at: START - 30 * MIN }, null],
    ['exactly at the late cut-off', {}, { at: START + 15 * MIN }, null],
    ['16 minutes after the start', {}, { at: START + 16 * MIN }, 'too_late'],
    ['admitted before at this door', { earlier: [earlierHere] }, {}, 'already_admitted'],
    ['admitted before at another door', { earlier: [earlierElsewhere] }, {}, 'already_admitted'],
    // The order: the first failing check names the verdict.
    ['revoked and in the wrong room: revoked first', { ticket: { ...good.ticket!, revoked: true, roomId: 'r102' } }, {}, 'revoked'],
    ['suspended and too late: suspended first', { session: { status: 'suspended', startsAt: START } }, { at: START + 60 * MIN }, 'suspended'],
    ['too early and admitted before: too_early first', { earlier: [earlierHere] }, { at: START - 40 * MIN }, 'too_early'],
  ]
  test.each(table)('%s', (_name, facts, c, verdict) => {
    const j = judgeAdmission({ ...claim, ...c }, { ...good, ...facts })
    expect(j.wouldRefuse).toBe(verdict)
    if (verdict !== null) expect(ADMISSION_REFUSALS).toContain(verdict)
  })

  test('an earlier admission at another room or another tablet is a second door; at the same door it is not', () => {
    expect(judgeAdmission(claim, { ...good, earlier: [earlierElsewhere] }).otherDoor).toEqual({ recordId: 'rec-0' })
    expect(judgeAdmission(claim, { ...good, earlier: [{ ...earlierHere, deviceId: 'd9' }] }).otherDoor).toEqual({ recordId: 'rec-0' })
    expect(judgeAdmission(claim, { ...good, earlier: [earlierHere] }).otherDoor).toBeNull()
  })
})

describe('arrivalFlags', () => {
  const now = START
  test.each([
    ['online, on time', true, now - MIN, false, []],
    ['offline', false, now - MIN, false, ['offline']],
    ['online, exactly 10 minutes late', true, now - LATE_UPLOAD_MS, false, []],
    ['online, more than 10 minutes late', true, now - LATE_UPLOAD_MS - 1, false, ['late_upload']],
    ['offline, late, from a revoked device', false, now - 60 * MIN, true, ['offline', 'late_upload', 'revoked_device']],
  ] as const)('%s', (_name, online, madeAt, revoked, flags) => {
    expect(arrivalFlags({ online, madeAt }, now, { revoked })).toEqual(flags)
  })

  test('merged flags keep their order and appear once', () => {
    expect(mergeFlags(['offline'], ['offline_confirm', 'offline'], ['would_refuse:revoked'])).toEqual(['offline', 'offline_confirm', 'would_refuse:revoked'])
  })
})

describe('classifyArrival: idempotent by the client id alone', () => {
  test.each([
    ['nothing stored under the id', null, 'h1', 'new'],
    ['the same content again', { bodyHash: 'h1' }, 'h1', 'duplicate'],
    ['other content under the same id', { bodyHash: 'h1' }, 'h2', 'reused'],
  ] as const)('%s → %s', (_name, stored, hash, arrival) => {
    expect(classifyArrival(stored, hash)).toBe(arrival)
  })
})
