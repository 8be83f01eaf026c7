import { describe, expect, test } from 'vitest'
import {
  INCIDENT_KINDS,
  type Incident,
  type IncidentConfirmation,
  type ScoreSheet,
  currentSheet,
  decideConfirmation,
  decideIncident,
  decideScoreSheet,
  finishAfterStops,
  incidentKind,
  incidentStatus,
  needsConfirmation,
} from '../server/domain/kiosk/index.ts'
import { KIOSK_INCIDENT_KINDS, atCst, hhmm } from '../kiosk/src/_kiosk-room-incidents.ts'
import { currentOf, validScore } from '../kiosk/src/_kiosk-room-scores.ts'

const T = Date.parse('2026-12-12T01:30:00Z')
const MIN = 60_000
const room = { candidateIds: new Set(['c1', 'c2']) }
const meta = (id = 'inc-1', recordedBy = 'inv-a') => ({ id, sessionId: 's1', roomId: 'r1', recordedBy, madeAt: T })

describe('incident kinds: MOE Order No. 33, Art. 5 (违纪) and Art. 6 (作弊), and room events', () => {
  test('Art. 5 has items 1–9 as violations and Art. 6 items 1–9 as cheating, each once, with zh and en names', () => {
    for (const [article, group] of [
      [5, 'violation'],
      [6, 'cheating'],
    ] as const) {
      const items = INCIDENT_KINDS.filter((k) => k.cite?.article === article)
      expect(items.map((k) => k.cite!.item)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
      for (const k of items) {
        expect(k.group).toBe(group)
        expect(k.zh).toMatch(/[\u4e00-\u9fff]/)
        expect(k.en.length).toBeGreaterThan(5)
      }
    }
    expect(new Set(INCIDENT_KINDS.map((k) => k.kind)).size).toBe(INCIDENT_KINDS.length)
  })

  test("the kiosk's copy of the table (it may not import the server's) is the same table", () => {
    expect(KIOSK_INCIDENT_KINDS).toEqual(
      INCIDENT_KINDS.map((k) => ({ kind: k.kind, group: k.group, cite: k.cite ? `${k.cite.article}.${k.cite.item}` : null, zh: k.zh, en: k.en })),
    )
  })

  test('impersonation is Art. 6 item 5 (由他人冒名代替参加考试)', () => {
    expect(incidentKind('impersonation')).toMatchObject({ group: 'cheating', cite: { article: 6, item: 5 } })
    expect(incidentKind('impersonation')!.zh).toContain('代替')
  })

  test('room events are late_arrival, illness, evacuation, disturbance: no article, no confirmation', () => {
    const events = INCIDENT_KINDS.filter((k) => k.group === 'event').map((k) => k.kind)
    expect(events).toEqual(['late_arrival', 'illness', 'evacuation', 'disturbance'])
    for (const e of events) expect(needsConfirmation(e)).toBe(false)
    for (const k of INCIDENT_KINDS.filter((x) => x.group !== 'event')) expect(needsConfirmation(k.kind)).toBe(true)
  })
})

describe('recording an incident', () => {
  const ok = { candidateId: 'c1', kind: 'peeking_signalling', at: T, description: '与邻座交头接耳' }
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['an unknown kind', { kind: 'talking' }, 'kiosk.incident_kind_unknown'],
    ['a violation without a candidate', { candidateId: null }, 'kiosk.incident_candidate_required'],
    ['a late arrival without a candidate', { kind: 'late_arrival', candidateId: null }, 'kiosk.incident_candidate_required'],
    ['a candidate not on the roster', { candidateId: 'c9' }, 'kiosk.incident_candidate_unknown'],
    ['a violation without a description', { description: '  ' }, 'kiosk.incident_description_required'],
    ['no time', { at: Number.NaN }, 'kiosk.incident_invalid'],
    ['seized items without a receipt', { seized: [{ item: '手机', count: 1 }] }, 'kiosk.incident_receipt_required'],
    ['a seized count of 0', { seized: [{ item: '手机', count: 0 }], receiptNumber: 'R-1' }, 'kiosk.incident_invalid'],
    ['a photo that is not a JPEG data URL', { photo: 'data:image/png;base64,AAAA' }, 'kiosk.incident_invalid'],
    ['a photo over 300 KB', { photo: `data:image/jpeg;base64,${'A'.repeat(410_000)}` }, 'kiosk.incident_photo_too_large'],
    ['an evacuation without times', { kind: 'evacuation', candidateId: null }, 'kiosk.evacuation_times_required'],
    [
      'an evacuation restarting before it stopped',
      { kind: 'evacuation', candidateId: null, stoppedAt: T, restartedAt: T - MIN },
      'kiosk.evacuation_times_required',
    ],
  ]
  for (const [name, patch, code] of cases) {
    test(`${name} is refused (${code})`, () => {
      const r = decideIncident({ ...ok, ...patch } as never, meta(), room)
      expect(r.ok ? null : r.error.code).toBe(code)
    })
  }

  test('a violation with seized items, a receipt and a small photo is recorded as given', () => {
    const photo = `data:image/jpeg;base64,${'A'.repeat(4000)}`
    const r = decideIncident({ ...ok, kind: 'transmitting_device', seized: [{ item: '手机', count: 1 }], receiptNumber: 'R-0007', photo }, meta(), room)
    expect(r.ok && r.value).toMatchObject({
      kind: 'transmitting_device',
      candidateId: 'c1',
      seized: [{ item: '手机', count: 1 }],
      receiptNumber: 'R-0007',
      photo,
    })
  })

  test('a disturbance needs neither candidate nor description; an evacuation keeps its stop and restart', () => {
    expect(decideIncident({ kind: 'disturbance', at: T, description: '' }, meta(), room).ok).toBe(true)
    const r = decideIncident({ kind: 'evacuation', at: T, description: '火警', stoppedAt: T, restartedAt: T + 20 * MIN }, meta(), room)
    expect(r.ok && [r.value.stoppedAt, r.value.restartedAt]).toEqual([T, T + 20 * MIN])
  })

  test('evacuations move the finish by the time stood still, overlapping stops counted once', () => {
    const end = T + 90 * MIN
    expect(finishAfterStops(end, [])).toBe(end)
    expect(finishAfterStops(end, [{ stoppedAt: T, restartedAt: T + 10 * MIN }])).toBe(end + 10 * MIN)
    expect(
      finishAfterStops(end, [
        { stoppedAt: T, restartedAt: T + 10 * MIN },
        { stoppedAt: T + 5 * MIN, restartedAt: T + 15 * MIN },
        { stoppedAt: T + 30 * MIN, restartedAt: T + 35 * MIN },
        { stoppedAt: null, restartedAt: null },
      ]),
    ).toBe(end + 20 * MIN)
  })
})

describe('two invigilators confirm a violation (Art. 18); a refusal to sign is recorded', () => {
  const violation = decideIncident({ candidateId: 'c1', kind: 'copying', at: T, description: '抄袭' }, meta('v1', 'inv-a'), room)
  const event = decideIncident({ candidateId: 'c2', kind: 'illness', at: T, description: '' }, meta('e1', 'inv-a'), room)
  if (!violation.ok || !event.ok) throw new Error('fixture')
  const v: Incident = violation.value
  const invigilators = ['inv-a', 'inv-b']
  const second = (userId: string) => ({ id: 'k1', by: 'inv-a', second: { userId, check: 'online' as const }, madeAt: T + MIN })

  const table: Array<[string, Incident | null, ReturnType<typeof second> | Record<string, unknown>, IncidentConfirmation[], string | null]> = [
    ['a second invigilator of the room confirms', v, second('inv-b'), [], null],
    ['the recorder cannot confirm their own record', v, second('inv-a'), [], 'kiosk.incident_same_person'],
    ['someone not invigilating this room cannot confirm', v, second('inv-z'), [], 'kiosk.incident_not_room_invigilator'],
    [
      'a violation is confirmed once',
      v,
      second('inv-b'),
      [{ id: 'k0', incidentId: 'v1', type: 'second', userId: 'inv-b', check: 'online', madeAt: T }],
      'kiosk.incident_already_confirmed',
    ],
    ['a room event needs no confirmation', event.value, second('inv-b'), [], 'kiosk.incident_no_confirmation'],
    ['an unknown incident', null, second('inv-b'), [], 'kiosk.incident_not_found'],
    ["the candidate's refusal to sign is recorded", v, { id: 'k2', by: 'inv-a', refusedToSign: true, madeAt: T }, [], null],
    [
      'a refusal is recorded once',
      v,
      { id: 'k2', by: 'inv-b', refusedToSign: true, madeAt: T },
      [{ id: 'k0', incidentId: 'v1', type: 'refused', userId: 'inv-a', check: null, madeAt: T }],
      'kiosk.incident_refusal_recorded',
    ],
  ]
  for (const [name, incident, cmd, before, code] of table) {
    test(`${name} (${code ?? 'ok'})`, () => {
      const r = decideConfirmation(incident, 'v1', cmd as never, before, invigilators)
      expect(r.ok ? null : r.error.code).toBe(code)
    })
  }

  test('status: a violation awaits its second signature, then is confirmed; a refusal alone does not confirm', () => {
    expect(incidentStatus(v, [])).toBe('awaiting_second')
    expect(incidentStatus(v, [{ id: 'k', incidentId: 'v1', type: 'refused', userId: 'inv-a', check: null, madeAt: T }])).toBe('awaiting_second')
    expect(incidentStatus(v, [{ id: 'k', incidentId: 'v1', type: 'second', userId: 'inv-b', check: 'offline', madeAt: T }])).toBe('confirmed')
    expect(incidentStatus(event.value, [])).toBe('recorded')
  })
})

describe('score sheets (R7.1): signed by an examiner of the room, locked, corrected only with a reason', () => {
  const items = [
    { id: 'wiring', name: '接线', max: 60 },
    { id: 'safety', name: '安全', max: 40 },
  ]
  const ctx = (sheets: ScoreSheet[] = []) => ({ candidateIds: room.candidateIds, scoreItems: items, roomExaminers: ['ex-1'], sheetsOfCandidate: sheets })
  const draft = (patch: Record<string, unknown> = {}) => ({
    candidateId: 'c1',
    items: [
      { itemId: 'wiring', score: 52.5 },
      { itemId: 'safety', score: 40 },
    ],
    examiner: { userId: 'ex-1', check: 'online' as const },
    ...patch,
  })
  const signed = (() => {
    const r = decideScoreSheet(draft(), meta('sheet-1', 'inv-a'), ctx())
    if (!r.ok) throw new Error(r.error.code)
    return r.value
  })()

  const table: Array<[string, Record<string, unknown>, ScoreSheet[], string | null]> = [
    ['a first signed sheet', {}, [], null],
    [
      'a score above the maximum',
      {
        items: [
          { itemId: 'wiring', score: 61 },
          { itemId: 'safety', score: 0 },
        ],
      },
      [],
      'kiosk.score_items_invalid',
    ],
    [
      'a negative score',
      {
        items: [
          { itemId: 'wiring', score: -1 },
          { itemId: 'safety', score: 0 },
        ],
      },
      [],
      'kiosk.score_items_invalid',
    ],
    ['an item left out', { items: [{ itemId: 'wiring', score: 10 }] }, [], 'kiosk.score_items_invalid'],
    [
      'an item twice',
      {
        items: [
          { itemId: 'wiring', score: 10 },
          { itemId: 'wiring', score: 10 },
        ],
      },
      [],
      'kiosk.score_items_invalid',
    ],
    [
      'an unknown item',
      {
        items: [
          { itemId: 'speed', score: 10 },
          { itemId: 'wiring', score: 1 },
          { itemId: 'safety', score: 1 },
        ],
      },
      [],
      'kiosk.score_items_invalid',
    ],
    ['a candidate of another room', { candidateId: 'c9' }, [], 'kiosk.score_candidate_unknown'],
    ['signed by someone not examining this room', { examiner: { userId: 'inv-a', check: 'online' } }, [], 'kiosk.score_not_examiner'],
    ['a second sheet without replaces: the signed one is locked', {}, [signed], 'kiosk.score_sheet_locked'],
    ['a correction without a reason', { replaces: 'sheet-1' }, [signed], 'kiosk.score_reason_required'],
    ['a correction with a reason replaces the sheet in force', { replaces: 'sheet-1', reason: '复核发现漏记安全分' }, [signed], null],
    ['a correction naming a sheet that does not exist', { replaces: 'nope', reason: 'x' }, [signed], 'kiosk.score_replaces_unknown'],
    [
      'a correction of an already corrected sheet',
      { replaces: 'sheet-1', reason: 'again' },
      [signed, { ...signed, id: 'sheet-2', replaces: 'sheet-1', reason: 'r' }],
      'kiosk.score_replaces_stale',
    ],
  ]
  for (const [name, patch, before, code] of table) {
    test(`${name} (${code ?? 'ok'})`, () => {
      const r = decideScoreSheet(draft(patch) as never, meta('sheet-9', 'inv-a'), ctx(before))
      expect(r.ok ? null : r.error.code).toBe(code)
    })
  }

  test('the sheet in force is the one nothing replaces; the replaced one is kept', () => {
    const corrected = decideScoreSheet(draft({ replaces: 'sheet-1', reason: '更正' }) as never, meta('sheet-2', 'inv-a'), ctx([signed]))
    if (!corrected.ok) throw new Error(corrected.error.code)
    expect(corrected.value).toMatchObject({ replaces: 'sheet-1', reason: '更正', examinerId: 'ex-1' })
    expect(currentSheet([signed, corrected.value])!.id).toBe('sheet-2')
    expect(currentSheet([signed])!.id).toBe('sheet-1')
  })

  test('a session without score items takes no sheet', () => {
    const r = decideScoreSheet(draft({ items: [] }) as never, meta(), { ...ctx(), scoreItems: [] })
    expect(r.ok ? null : r.error.code).toBe('kiosk.score_items_invalid')
  })
})

describe("the kiosk screens' own checks agree with the server's", () => {
  test('a time typed as HH:MM is read in China time on the session day, and shown back the same', () => {
    const start = Date.parse('2026-12-12T01:00:00Z') // 09:00 CST
    expect(atCst(start, '09:30')).toBe(Date.parse('2026-12-12T01:30:00Z'))
    expect(atCst(start, '7:05')).toBe(Date.parse('2026-12-11T23:05:00Z'))
    expect(atCst(start, '9.30')).toBeNull()
    expect(hhmm(Date.parse('2026-12-12T01:30:00Z'))).toBe('09:30')
  })

  test('scores: the kiosk accepts what the server accepts (0..max, one decimal)', () => {
    const items = [{ id: 'a', name: 'A', max: 10 }]
    for (const score of [0, 10, 7.5, 10.01, -0.1, 3.25, Number.NaN]) {
      const server = decideScoreSheet(
        { candidateId: 'c1', items: [{ itemId: 'a', score }], examiner: { userId: 'ex', check: 'online' } },
        { id: 's', sessionId: 's1', roomId: 'r1', recordedBy: 'inv', madeAt: T },
        { candidateIds: new Set(['c1']), scoreItems: items, roomExaminers: ['ex'], sheetsOfCandidate: [] },
      )
      expect(validScore(score, 10), String(score)).toBe(server.ok)
    }
  })

  test("the kiosk's sheet in force is the one no later sheet of the candidate replaces", () => {
    const sheet = (id: string, candidateId: string, replaces?: string) =>
      ({ id, body: { candidateId, items: [], examiner: { userId: 'ex' }, ...(replaces ? { replaces } : {}) } }) as never
    const sheets = [sheet('a', 'c1'), sheet('b', 'c2'), sheet('c', 'c1', 'a')]
    expect(currentOf(sheets, 'c1')!.id).toBe('c')
    expect(currentOf(sheets, 'c2')!.id).toBe('b')
    expect(currentOf(sheets, 'c3')).toBeNull()
  })
})
