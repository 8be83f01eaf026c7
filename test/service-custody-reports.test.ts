import { describe, expect, test } from 'vitest'
import { type CustodyReport, csvCell, reportCsv, verifyCustodyReport } from '../server/services/custody-reports.ts'
import { makeTestApp } from './_app.ts'
import { custodyWorld, drive } from './_custody-packets.ts'

describe('CSV cells are safe to open in Excel', () => {
  test.each([
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['a,b', '"a,b"'],
    ['line\nbreak', '"line\nbreak"'],
    ['封装', '封装'],
  ])('csvCell(%j) is %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected)
  })

  test('numbers and empty cells are written as they are (a negative count is a number, not a formula)', () => {
    expect(csvCell(-1)).toBe('-1')
    expect(csvCell(null)).toBe('')
  })

  test('the report CSV starts with a BOM, ends rows with CRLF, and neutralises a formula in any cell', () => {
    const r = {
      events: [
        {
          index: 0,
          time: '2026-11-25T01:00:00.000Z',
          actor: { user: 'u1', name: 'keeper', roles: ['custodian'] },
          action: 'custody.packet.sealed',
          outcome: 'ok',
          subject: { type: 'packet', id: '=1+1' },
          where: null,
          data: { seal: 'S-1' },
          bytes: '',
          leafHash: 'AAAA',
          inclusionProof: [],
        },
      ],
    } as unknown as CustodyReport
    expect(reportCsv(r)).toBe(
      '\uFEFFindex,time,actor_name,actor,roles,action_name,action,outcome,subject_type,subject_id,room_name,room,data,leaf_hash\r\n' +
        `0,2026-11-25T01:00:00.000Z,keeper,keeper,custodian,封装试卷袋,custody.packet.sealed,ok,packet,'=1+1,,,"{""seal"":""S-1""}",AAAA\r\n`,
    )
  })

  test('the report CSV names the actor and the room, with the username and ids beside them', () => {
    const r = {
      events: [
        {
          index: 3,
          time: '2026-11-25T01:00:00.000Z',
          actor: { user: 'u1', name: 'keeper', roles: ['custodian'] },
          action: 'custody.paper.frozen',
          outcome: 'ok',
          subject: { type: 'paper', id: 'p1' },
          where: { room: 'r1' },
          data: {},
          bytes: '',
          leafHash: 'AAAA',
          inclusionProof: [],
        },
      ],
    } as unknown as CustodyReport
    const names = { person: (id: string) => (id === 'u1' ? '张保管' : null), room: (id: string) => (id === 'r1' ? '第一考点 101' : null) }
    expect(reportCsv(r, names).split('\r\n')[1]).toBe(
      '3,2026-11-25T01:00:00.000Z,张保管,keeper,custodian,冻结试卷,custody.paper.frozen,ok,paper,p1,第一考点 101,r1,{},AAAA',
    )
  })
})

describe('verifyCustodyReport refuses what it cannot check', () => {
  test('not an object, missing fields, no key, or an unsigned checkpoint', async () => {
    const app = makeTestApp()
    const w = await custodyWorld(app)
    await drive(app, w, w.p101, 'in_vault')
    const r = app.services.custodyReports.packetReport(w.p101.id)!
    expect(r.events.map((e) => e.action)).toEqual(['custody.packet.sealed', 'custody.packet.stored'])
    const vkey = app.services.log.vkey
    expect(verifyCustodyReport(null, [vkey])).toMatchObject({ ok: false, reason: 'the report is not a JSON object' })
    expect(verifyCustodyReport({ events: [] }, [vkey])).toMatchObject({ ok: false, reason: 'the report needs checkpoint, size and events' })
    expect(verifyCustodyReport(r, [])).toMatchObject({ ok: false, reason: 'no trusted key given' })
    const unsigned = { ...r, checkpoint: r.checkpoint.split('\n\n')[0]! + '\n\n' }
    expect(verifyCustodyReport(unsigned, [vkey]).ok).toBe(false)
    const reordered = { ...r, events: [...r.events].reverse() }
    expect(verifyCustodyReport(reordered, [vkey])).toMatchObject({ ok: false, reason: 'events must be in increasing index order' })
    expect(verifyCustodyReport(r, [vkey]).ok).toBe(true)
  })

  test('an unknown paper or packet has no report', () => {
    const app = makeTestApp()
    expect(app.services.custodyReports.paperReport('nope')).toBeNull()
    expect(app.services.custodyReports.packetReport('nope')).toBeNull()
  })
})
