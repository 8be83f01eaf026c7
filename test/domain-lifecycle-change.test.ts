import { describe, expect, test } from 'vitest'
import { type ExamSession, decideSessionChange, decideVenueChange } from '../server/domain/lifecycle/index.ts'
import { completeDraft, cstAt } from './_lifecycle.ts'

const batch = completeDraft('2026-12-28', { status: 'announced', filedOn: '2026-11-02', centreReference: 'ref' })
const sessions: ExamSession[] = batch.plan.sessions.map((s, i) => ({ ...s, id: `s${i}`, batchId: batch.id, status: 'scheduled', createdAt: 0, updatedAt: 0 }))
const ctx = { roles: ['registrar' as const], now: 99, knownSites: new Set(['site-2']) }

describe("R4.4: a venue or time change needs the municipal centre's approval", () => {
  test('moving a session without an approval reference is refused (change.approval_required)', () => {
    const r = decideSessionChange(batch, sessions[0]!, sessions, { startsAt: cstAt('2026-12-29', '09:00'), endsAt: cstAt('2026-12-29', '10:30') }, ctx)
    expect(r).toEqual({ ok: false, error: { code: 'change.approval_required' } })
    const blank = decideSessionChange(batch, sessions[0]!, sessions, { siteId: 'site-2', approvalReference: '   ' }, ctx)
    expect(blank).toEqual({ ok: false, error: { code: 'change.approval_required' } })
  })

  test('with a reference the change records old and new values, and the exam dates follow the sessions', () => {
    const r = decideSessionChange(
      batch,
      sessions[1]!,
      sessions,
      { startsAt: cstAt('2026-12-29', '14:00'), endsAt: cstAt('2026-12-29', '17:00'), approvalReference: '渝职鉴核〔2026〕12号' },
      ctx,
    )
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.value.record).toEqual({
      at: 99,
      what: 'session',
      sessionId: 's1',
      approvalReference: '渝职鉴核〔2026〕12号',
      old: { startsAt: cstAt('2026-12-28', '14:00'), endsAt: cstAt('2026-12-28', '17:00') },
      new: { startsAt: cstAt('2026-12-29', '14:00'), endsAt: cstAt('2026-12-29', '17:00') },
    })
    expect(r.value.batch).toMatchObject({ examStartDate: '2026-12-28', examEndDate: '2026-12-29' })
    expect(r.value.batch.plan.changes).toHaveLength(1)
  })

  test('a site change records only the site', () => {
    const r = decideSessionChange(batch, sessions[0]!, sessions, { siteId: 'site-2', approvalReference: 'ref-2' }, ctx)
    expect(r.ok && r.value.record).toMatchObject({ old: { siteId: null }, new: { siteId: 'site-2' } })
  })

  test.each([
    [{ approvalReference: 'r' }, ''],
    [{ endsAt: cstAt('2026-12-28', '08:00'), approvalReference: 'r' }, 'endsAt'],
    [{ siteId: 'nowhere', approvalReference: 'r' }, 'siteId'],
  ])('%j is refused as change.invalid (%s)', (change, field) => {
    expect(decideSessionChange(batch, sessions[0]!, sessions, change, ctx)).toMatchObject({ ok: false, error: { code: 'change.invalid', field } })
  })

  test('a suspended session and a draft plan do not change this way', () => {
    expect(decideSessionChange(batch, { ...sessions[0]!, status: 'suspended' }, sessions, { siteId: 'site-2', approvalReference: 'r' }, ctx)).toEqual({
      ok: false,
      error: { code: 'change.session_not_scheduled', status: 'suspended' },
    })
    expect(decideSessionChange({ ...batch, status: 'draft' }, sessions[0]!, sessions, { siteId: 'site-2', approvalReference: 'r' }, ctx)).toEqual({
      ok: false,
      error: { code: 'batch.wrong_state', state: 'draft', action: 'change' },
    })
  })

  test('a venue change needs a reference too, and records the old and new place', () => {
    expect(decideVenueChange(batch, { place: '新校区实训中心' }, ctx)).toEqual({ ok: false, error: { code: 'change.approval_required' } })
    const r = decideVenueChange(batch, { place: '新校区实训中心', approvalReference: 'ref-3' }, ctx)
    expect(r.ok && r.value.record).toEqual({
      at: 99,
      what: 'venue',
      old: { place: '重庆工业职业技术学院 实训楼' },
      new: { place: '新校区实训中心' },
      approvalReference: 'ref-3',
    })
    expect(r.ok && r.value.batch.plan.place).toBe('新校区实训中心')
  })
})
