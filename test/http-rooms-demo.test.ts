import { describe, expect, test } from 'vitest'
import { loadDemo } from '../server/demo.ts'
import { makeTestApp } from './_app.ts'

describe('the rooms demo', () => {
  test('loads with the demo (on the lifecycle demo): four rooms, staff, both sessions seated with a seed, inspections partly done, tickets for all', async () => {
    const app = makeTestApp({ clock: () => Date.parse('2026-12-10T02:00:00Z') })
    await loadDemo(app.services) // users, then loadLifecycleDemo, loadRoomsDemo, ...
    const s = app.services
    const drill = s.doorDrill.sessionId() // the door drill's session today (test/demo-drill.test.ts)
    const sessionOf = (kind: string) => s.rooms.sessions().find((x) => x.subjectKind === kind && x.id !== drill && s.rooms.attachedRooms(x.id).length > 0)!.id
    const theory = sessionOf('theory'),
      practical = sessionOf('practical')
    expect(s.rooms.attachedRooms(theory).map((r) => r.name)).toEqual(['101', '102', '103'])
    expect(s.rooms.attachedRooms(practical).map((r) => r.kind)).toEqual(['practical'])

    const staff = s.rooms.staff(theory)
    if (!staff.ok) throw new Error(staff.error.code)
    const room101 = s.rooms.attachedRooms(theory)[0]!.id
    const usernames = staff.value
      .filter((a) => a.roomId === room101)
      .map((a) => s.accounts.get(a.userId)!.username)
      .sort()
    expect(usernames).toEqual(['invigilator', 'invigilator2'])

    const runs = s.db.query<{ seed: string }, []>("SELECT seed FROM seating_runs WHERE seed NOT LIKE 'DRILL-%' ORDER BY seed").all()
    expect(runs.map((r) => r.seed)).toEqual([expect.stringMatching(/-practical$/), expect.stringMatching(/-theory$/)])
    const seated = s.db.query<{ n: number }, [string]>('SELECT count(*) AS n FROM seats WHERE exam_session_id != ?').get(drill!)!.n
    const live = s.db.query<{ n: number }, [string]>('SELECT count(*) AS n FROM tickets WHERE revoked_at IS NULL AND exam_session_id != ?').get(drill!)!.n
    expect(seated).toBe(180) // 90 candidates in each session
    expect(live).toBe(seated)

    const inspection101 = s.rooms.inspection(theory, room101)
    expect(inspection101.ok && inspection101.value.complete).toBe(true)
    const readiness = s.rooms.readiness(theory)
    expect(readiness.ok && readiness.value.ready).toBe(false) // 102 and 103 still lack staff and inspection: the demo shows the report
    const hall = s.rooms.inspection(practical, s.rooms.attachedRooms(practical)[0]!.id)
    expect(hall.ok && hall.value.pending).toEqual(expect.arrayContaining(['safety_measures', 'safety_briefing']))
  }, 60_000)
})
