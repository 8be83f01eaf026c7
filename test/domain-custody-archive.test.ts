import { describe, expect, test } from 'vitest'
import { startOfDayCst } from '../server/domain/calendar/index.ts'
import { decideArchive, decideDispose, retentionOf, type Packet } from '../server/domain/custody/index.ts'
import { packetIn, person, refusal, value } from './domain-custody-fixtures.ts'

const c1 = person('c-1', 'custodian')
const supervisor = person('s-1', 'supervisor')
const reconciled = () => packetIn('reconciled', { holder: { userId: 'c-1' } })
/** Midnight CST starting `date`, minus `ms`. */
const cst = (date: string, ms = 0) => startOfDayCst(date) - ms

describe('retention (R5.5): kept until 3 years after the exam', () => {
  test.each([
    ['2026-06-15', '2029-06-15', '2029-06-16'],
    ['2026-12-31', '2029-12-31', '2030-01-01'],
    ['2028-02-29', '2031-02-28', '2031-03-01'], // no 29 February in 2031: the month's last day
    ['2027-02-28', '2030-02-28', '2030-03-01'],
  ])('an exam on %s is kept through %s and may be disposed of from %s', (examDate, keptUntil, disposableFrom) => {
    expect(retentionOf(examDate)).toEqual({ examDate, keptUntil, disposableFrom })
  })
})

describe('archiving', () => {
  test('a reconciled packet goes into the archive, witnessed, with its retention dates', () => {
    const { packet, events } = value(decideArchive(reconciled(), { actor: c1, witness: supervisor, examDate: '2026-06-15' }, cst('2026-06-16')))
    expect(packet).toMatchObject({
      state: 'archived',
      holder: { place: 'archive' },
      retention: { examDate: '2026-06-15', keptUntil: '2029-06-15', disposableFrom: '2029-06-16' },
    })
    expect(events[0]!.data).toMatchObject({ witness: 's-1', keptUntil: '2029-06-15', people: ['c-1', 's-1'] })
  })

  test('a backup never issued is archived from the vault, but not before the exam date (archive.before_exam)', () => {
    const inVault = packetIn('in_vault')
    expect(refusal(decideArchive(inVault, { actor: c1, witness: supervisor, examDate: '2026-06-15' }, cst('2026-06-15', 1)))).toEqual({
      code: 'archive.before_exam',
      packetId: 'pk-1',
      examDate: '2026-06-15',
      today: '2026-06-14',
    })
    expect(value(decideArchive(inVault, { actor: c1, witness: supervisor, examDate: '2026-06-15' }, cst('2026-06-15'))).packet.state).toBe('archived')
  })

  test('a voided packet is kept like any other', () => {
    const voided = packetIn('voided', { holder: { userId: 'c-1' } })
    expect(value(decideArchive(voided, { actor: c1, witness: supervisor, examDate: '2026-06-15' }, 0)).packet.retention?.keptUntil).toBe('2029-06-15')
  })

  test("a packet in someone else's hands is not archived without them (packet.not_holder)", () => {
    expect(refusal(decideArchive(packetIn('reconciled'), { actor: c1, witness: supervisor, examDate: '2026-06-15' }, 0)).code).toBe('packet.not_holder')
  })
})

describe('disposal (R5.5): listed, witnessed, and never early', () => {
  const archived = (id: string, over: Partial<Packet> = {}) => packetIn('archived', { id, ...over })
  const dispose = (packets: Packet[], now: number, method = '碎纸机粉碎') =>
    decideDispose(packets, { actor: c1, witness: supervisor, listId: 'list-1', method }, now)

  test('the last instant of the retention period, 2029-06-15 23:59:59.999 CST, is too early (dispose.too_early)', () => {
    expect(refusal(dispose([archived('pk-1')], cst('2029-06-16', 1)))).toEqual({
      code: 'dispose.too_early',
      packetId: 'pk-1',
      keptUntil: '2029-06-15',
      disposableFrom: '2029-06-16',
      today: '2029-06-15',
    })
  })

  test('from 00:00 CST on 2029-06-16 (16:00 UTC the day before) it is due', () => {
    const now = cst('2029-06-16')
    expect(now).toBe(Date.UTC(2029, 5, 15, 16))
    const { packets, list, events } = value(dispose([archived('pk-1'), archived('pk-2')], now))
    expect(packets.map((p) => [p.id, p.state, p.holder])).toEqual([
      ['pk-1', 'destroyed', { place: 'destroyed' }],
      ['pk-2', 'destroyed', { place: 'destroyed' }],
    ])
    expect(list).toEqual({ id: 'list-1', packetIds: ['pk-1', 'pk-2'], method: '碎纸机粉碎', disposedBy: 'c-1', witnessedBy: 's-1', disposedAt: now })
    expect(events.map((e) => e.action)).toEqual(['custody.disposal.listed', 'custody.packet.destroyed', 'custody.packet.destroyed'])
    expect(events[0]).toMatchObject({ subject: { type: 'disposal', id: 'list-1' }, data: { packetIds: ['pk-1', 'pk-2'], witness: 's-1' } })
  })

  test('one packet not yet due refuses the whole list: a disposal is never half done', () => {
    const young = archived('pk-2', { retention: { examDate: '2027-06-15', keptUntil: '2030-06-15', disposableFrom: '2030-06-16' } })
    expect(refusal(dispose([archived('pk-1'), young], cst('2029-07-01')))).toMatchObject({ code: 'dispose.too_early', packetId: 'pk-2' })
  })

  test('an unarchived packet on the list is refused (packet.wrong_state)', () => {
    expect(refusal(dispose([archived('pk-1'), packetIn('reconciled', { id: 'pk-2' })], cst('2030-01-01')))).toMatchObject({
      code: 'packet.wrong_state',
      packetId: 'pk-2',
    })
  })

  test('a list must be a list: not empty, no packet twice, with its method (dispose.list_invalid)', () => {
    expect(refusal(dispose([], cst('2030-01-01')))).toEqual({ code: 'dispose.list_invalid', reason: 'empty' })
    expect(refusal(dispose([archived('pk-1'), archived('pk-1')], cst('2030-01-01')))).toEqual({
      code: 'dispose.list_invalid',
      reason: 'duplicate',
      packetId: 'pk-1',
    })
    expect(refusal(dispose([archived('pk-1')], cst('2030-01-01'), ''))).toEqual({ code: 'dispose.list_invalid', reason: 'method_required' })
  })

  test('the witness is a second person (twoperson.same_person)', () => {
    const both = { userId: 'c-1', roles: ['custodian', 'supervisor'] as const }
    expect(refusal(decideDispose([archived('pk-1')], { actor: both, witness: both, listId: 'l', method: 'x' }, cst('2030-01-01'))).code).toBe(
      'twoperson.same_person',
    )
  })
})
