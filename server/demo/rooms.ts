import type { Services } from '../app.ts'
import type { Result } from '../domain/_result.ts'
import type { Room } from '../domain/rooms/index.ts'

const DEMO_ACTOR = { system: 'demo-loader' } as const

const must = <T, E>(r: Result<T, E>, what: string): T => {
  if (!r.ok) throw new Error(`rooms demo: ${what}: ${JSON.stringify(r.error)}`)
  return r.value
}

/**
 * The rooms demo on top of the lifecycle demo: one site with theory rooms 101–103 (30 seats each) and
 * one practical hall; staff (invigilator and invigilator2 in room 101, the examiner in the practical
 * hall, the supervisor over both sessions, the registrar as the hall's site leader); both sessions seated
 * with a recorded seed; inspections partly done (101 complete, 102 with an open defect, the hall's
 * safety items still pending); tickets issued to every seated candidate.
 */
export async function loadRoomsDemo(s: Services, lifecycle: { batchId: string; sessionIds: { theory: string; practical: string } }): Promise<void> {
  const { theory, practical } = lifecycle.sessionIds
  const site = must(s.rooms.createSite(DEMO_ACTOR, { name: '重庆工业职业技术学院考点（演示）', address: '重庆市渝北区（演示地址）电气实训楼' }), 'site')
  const room = (name: string, input: Omit<Parameters<Services['rooms']['createRoom']>[2], 'name'>): Room =>
    must(s.rooms.createRoom(DEMO_ACTOR, site.id, { name, ...input }), `room ${name}`)
  const theoryRooms = ['101', '102', '103'].map((n) => room(n, { kind: 'theory', capacity: 30, layout: '6 行 × 5 列，单人单桌，桌距 90 厘米' }))
  const hall = room('电气实训中心', {
    kind: 'practical',
    capacity: 90,
    layout: '90 个独立工位，分 3 区',
    hazardous: true,
    equipment: ['低压电气控制实训台', '万用表', '兆欧表', '钳形电流表', '绝缘手套', '电工工具套装'],
  })
  for (const r of theoryRooms) must(s.rooms.attachRoom(DEMO_ACTOR, theory, r.id), `attach ${r.name}`)
  must(s.rooms.attachRoom(DEMO_ACTOR, practical, hall.id), 'attach hall')

  const user = (username: string) => {
    const u = s.accounts.list().find((x) => x.username === username)
    if (!u) throw new Error(`rooms demo: no demo user ${username}`)
    return u.id
  }
  const assign = (session: string, username: string, duty: 'invigilator' | 'examiner' | 'supervisor' | 'site_leader', roomId: string | null) =>
    must(s.rooms.assignStaff(DEMO_ACTOR, session, { userId: user(username), duty, roomId }), `staff ${username}`)
  assign(theory, 'invigilator', 'invigilator', theoryRooms[0]!.id)
  assign(theory, 'invigilator2', 'invigilator', theoryRooms[0]!.id)
  assign(theory, 'supervisor', 'supervisor', null)
  assign(practical, 'examiner', 'examiner', hall.id)
  assign(practical, 'registrar', 'site_leader', hall.id)
  assign(practical, 'supervisor', 'supervisor', null)

  // A published seed per session: anyone can replay the draw (R4.1).
  const seeded = must(s.rooms.seat(DEMO_ACTOR, theory, { seed: `DEMO-${lifecycle.batchId.slice(0, 8)}-theory` }), 'seating theory')
  must(s.rooms.seat(DEMO_ACTOR, practical, { seed: `DEMO-${lifecycle.batchId.slice(0, 8)}-practical` }), 'seating practical')

  const record = (session: string, roomId: string, item: string, state: 'ok' | 'defect', defect?: string) =>
    must(s.rooms.recordInspection(DEMO_ACTOR, session, roomId, { item, state, ...(defect ? { defect } : {}) }), `inspection ${item}`)
  for (const item of ['desks_single', 'desks_spaced', 'not_tiered', 'room_cleared', 'rules_posted']) record(theory, theoryRooms[0]!.id, item, 'ok')
  record(theory, theoryRooms[1]!.id, 'desks_single', 'ok')
  record(theory, theoryRooms[1]!.id, 'desks_spaced', 'defect', '第 5 排两桌间距约 60 厘米（演示）')
  for (const item of ['equipment_ready', 'instruments_checked', 'materials_ready']) record(practical, hall.id, item, 'ok')

  must(s.tickets.issue(DEMO_ACTOR, theory), 'tickets theory')
  must(s.tickets.issue(DEMO_ACTOR, practical), 'tickets practical')
  if (seeded.candidates === 0) throw new Error('rooms demo: nobody to seat (load the lifecycle demo first)')
}
