import { describe, expect, test } from 'vitest'
import { ROLES } from '../server/domain/accounts/index.ts'
import {
  BATCH_MOVES,
  BATCH_STATUSES,
  CANDIDATE_MOVES,
  CANDIDATE_STATUSES,
  type BatchAction,
  type CandidateAction,
  moveBatch,
  moveCandidate,
} from '../server/domain/lifecycle/index.ts'

const BATCH_ACTIONS: BatchAction[] = ['file', 'announce', 'change', 'start', 'complete', 'publish_results']
const CANDIDATE_ACTIONS: CandidateAction[] = ['approve', 'reject', 'withdraw', 'reopen']

describe('the batch state table (draft → filed → announced → …)', () => {
  for (const m of BATCH_MOVES) {
    test(`${m.from} --${m.action}--> ${m.to} works for ${m.who.join(', ')} and for no other role`, () => {
      for (const role of ROLES) {
        const r = moveBatch(m.from, m.action, [role])
        if (m.who.includes(role as never)) expect(r).toEqual({ ok: true, value: m.to })
        else expect(r).toEqual({ ok: false, error: { code: 'batch.role_not_allowed', action: m.action, allowed: m.who } })
      }
      expect(moveBatch(m.from, m.action, null)).toEqual({ ok: true, value: m.to }) // the system (demo loader)
    })
  }

  test('every (state, action) pair not in the table is refused with batch.wrong_state, for every role', () => {
    let refused = 0
    for (const state of BATCH_STATUSES)
      for (const action of BATCH_ACTIONS) {
        if (BATCH_MOVES.some((m) => m.from === state && m.action === action)) continue
        for (const roles of [[...ROLES], null]) {
          expect(moveBatch(state, action, roles)).toEqual({ ok: false, error: { code: 'batch.wrong_state', state, action } })
        }
        refused++
      }
    expect(refused).toBe(BATCH_STATUSES.length * BATCH_ACTIONS.length - BATCH_MOVES.length)
  })

  test('a plan is filed only once, and announced only after filing (R2.1 before R2.3)', () => {
    expect(moveBatch('filed', 'file', ['registrar']).ok).toBe(false)
    expect(moveBatch('draft', 'announce', ['registrar']).ok).toBe(false)
    expect(moveBatch('draft', 'change', ['registrar']).ok).toBe(false) // drafts are edited, not changed under R4.4
  })
})

describe('the candidate state table (registered → approved | rejected …)', () => {
  for (const m of CANDIDATE_MOVES) {
    test(`${m.from} --${m.action}--> ${m.to} works for ${m.who.join(', ')} and for no other role (reason ${m.reason})`, () => {
      for (const role of ROLES) {
        const r = moveCandidate(m.from, m.action, [role], 'a reason')
        if (m.who.includes(role as never)) expect(r).toEqual({ ok: true, value: m.to })
        else expect(r).toEqual({ ok: false, error: { code: 'candidate.role_not_allowed', action: m.action, allowed: m.who } })
      }
      const without = moveCandidate(m.from, m.action, ['registrar'], '  ')
      if (m.reason === 'required') expect(without).toEqual({ ok: false, error: { code: 'review.reason_required', action: m.action } })
      else expect(without).toEqual({ ok: true, value: m.to })
    })
  }

  test('every (state, action) pair not in the table is refused with candidate.wrong_state', () => {
    let refused = 0
    for (const state of CANDIDATE_STATUSES)
      for (const action of CANDIDATE_ACTIONS) {
        if (CANDIDATE_MOVES.some((m) => m.from === state && m.action === action)) continue
        expect(moveCandidate(state, action, ['registrar', 'admin'], 'reason')).toEqual({ ok: false, error: { code: 'candidate.wrong_state', state, action } })
        refused++
      }
    expect(refused).toBe(CANDIDATE_STATUSES.length * CANDIDATE_ACTIONS.length - CANDIDATE_MOVES.length)
  })

  test('a rejection needs a reason (R3.2); an approval does not', () => {
    expect(moveCandidate('registered', 'reject', ['registrar'])).toEqual({ ok: false, error: { code: 'review.reason_required', action: 'reject' } })
    expect(moveCandidate('registered', 'approve', ['registrar'])).toEqual({ ok: true, value: 'approved' })
  })

  test('an approved candidate cannot be rejected afterwards, only withdrawn', () => {
    expect(moveCandidate('approved', 'reject', ['registrar'], 'x').ok).toBe(false)
    expect(moveCandidate('approved', 'withdraw', ['registrar'], 'asked to withdraw')).toEqual({ ok: true, value: 'withdrawn' })
    expect(moveCandidate('withdrawn', 'reopen', ['registrar'], 'x').ok).toBe(false)
  })
})
