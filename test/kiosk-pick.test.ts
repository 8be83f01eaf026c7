// Which rooms the door tablet offers first (kiosk/src/_kiosk-pick.ts): today's and later sessions by start time,
// those that ended on an earlier China-time day set apart, most recent first; a session whose times did not load
// is never hidden.
import { expect, test } from 'vitest'
import { doorChoices } from '../kiosk/src/_kiosk-pick.ts'

const at = (cst: string) => Date.parse(`${cst}+08:00`)
const iso = (cst: string) => new Date(at(cst)).toISOString()
const session = (start: string, end: string) => ({ startsAt: iso(start), endsAt: iso(end) })

const sessions = new Map([
  ['october', session('2026-10-15T09:00:00', '2026-10-15T10:30:00')],
  ['november', session('2026-11-20T09:00:00', '2026-11-20T10:30:00')],
  ['this-morning', session('2026-12-05T08:00:00', '2026-12-05T09:30:00')], // over, but today
  ['tonight', session('2026-12-05T20:40:00', '2026-12-05T22:10:00')],
  ['tomorrow', session('2026-12-06T09:00:00', '2026-12-06T10:30:00')],
  ['yesterday-late', session('2026-12-04T23:00:00', '2026-12-04T23:59:00')],
])
const mine = (...ids: string[]) => ids.map((examSessionId, i) => ({ examSessionId, roomId: `room-${i}` }))
const ids = (xs: { examSessionId: string }[]) => xs.map((x) => x.examSessionId)

test('today and later first, soonest first; earlier days apart, most recent first', () => {
  const c = doorChoices(mine('october', 'tomorrow', 'november', 'tonight', 'this-morning', 'yesterday-late'), sessions, at('2026-12-05T20:19:00'))
  expect(ids(c.current)).toEqual(['this-morning', 'tonight', 'tomorrow'])
  expect(ids(c.earlier)).toEqual(['yesterday-late', 'november', 'october'])
})

test('the day is China time: 23:59 on the 4th is yesterday at 00:01 on the 5th (16:01 UTC on the 4th)', () => {
  const c = doorChoices(mine('yesterday-late'), sessions, at('2026-12-05T00:01:00'))
  expect(ids(c.earlier)).toEqual(['yesterday-late'])
  const before = doorChoices(mine('yesterday-late'), sessions, at('2026-12-04T23:59:30'))
  expect(ids(before.current)).toEqual(['yesterday-late'])
})

test('a session whose times are unknown (offline, not loaded) stays offered, after the known ones', () => {
  const c = doorChoices(mine('unknown', 'tomorrow', 'october'), sessions, at('2026-12-05T12:00:00'))
  expect(ids(c.current)).toEqual(['tomorrow', 'unknown'])
  expect(ids(c.earlier)).toEqual(['october'])
})

test('two rooms of one session keep their order; nothing is dropped', () => {
  const two = [
    { examSessionId: 'tonight', roomId: 'a' },
    { examSessionId: 'tonight', roomId: 'b' },
  ]
  const c = doorChoices(two, sessions, at('2026-12-05T12:00:00'))
  expect(c.current.map((x) => x.roomId)).toEqual(['a', 'b'])
  expect(c.earlier).toEqual([])
})
