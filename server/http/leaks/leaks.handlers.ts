import type { z } from '@hono/zod-openapi'
import type { Ctx } from '../_context.ts'
import { type AppRouteHandler, fail } from '../_route.ts'
import { peopleIn } from '../custody-people.ts'
import { callerOf, custodyRefused } from '../packets/index.ts'
import type * as routes from './leaks.routes.ts'
import { type SessionName, TRACE_READERS } from './leaks.routes.ts'

const readsTraces = (c: Ctx): boolean => c.var.actingRoles.some((r) => (TRACE_READERS.roles as readonly string[]).includes(r))

/** The names of everything a leak answer mentions by id. */
function namesOf(
  c: Ctx,
  reports: ReadonlyArray<{ paperId: string; examSessionId: string; decisions?: ReadonlyArray<{ sessionId: string }> }>,
  ...more: unknown[]
) {
  const custody = c.var.services.custody
  const papers: Record<string, { title: string; kind: string }> = {}
  const sessions: Record<string, z.infer<typeof SessionName>> = {}
  for (const r of reports) {
    const paper = c.var.services.papers.paper(r.paperId)
    if (paper) papers[paper.id] = { title: paper.title, kind: paper.kind }
    for (const id of [r.examSessionId, ...(r.decisions ?? []).map((d) => d.sessionId)]) {
      const s = custody.sessionPlace(id)
      if (s) sessions[id] = s
    }
  }
  const rooms: Record<string, string> = {}
  const roomIds = new Set<string>()
  const walk = (v: unknown, depth: number): void => {
    if (depth > 6 || v === null || typeof v !== 'object') return
    if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1)
      return
    }
    for (const [k, x] of Object.entries(v)) {
      if (k === 'roomId' && typeof x === 'string') roomIds.add(x)
      else if (k === 'place' && typeof x === 'string' && x.startsWith('room:')) roomIds.add(x.slice(5))
      else walk(x, depth + 1)
    }
  }
  walk(more, 0)
  for (const id of roomIds) {
    const { room, site } = custody.placeOf({ examSessionId: '', roomId: id })
    if (room) rooms[id] = site ? `${site.name} ${room.name}` : room.name
  }
  return { people: peopleIn(c, reports, ...more), papers, sessions, rooms }
}

const s = (c: Ctx) => c.var.services.leaks

export const file: AppRouteHandler<typeof routes.file> = (c) => {
  const body = c.req.valid('json')
  const r = s(c).file(callerOf(c), body)
  return r.ok
    ? c.json(
        {
          id: r.value.id,
          filedAt: r.value.filedAt,
          confirmation: '泄密报告已提交：试卷已冻结，督导人员已收到告警',
          confirmationEn: 'Report filed: the paper is frozen and the supervisors are alerted',
        },
        201,
      )
    : custodyRefused(c, r.error, 'custody.leak.file', body.paperId ? { type: 'paper', id: body.paperId } : undefined)
}

export const list: AppRouteHandler<typeof routes.list> = (c) => {
  const leaks = s(c).list(c.req.valid('query'))
  return c.json({ leaks, ...namesOf(c, leaks) }, 200)
}

export const get: AppRouteHandler<typeof routes.get> = (c) => {
  const id = c.req.param('id')!
  const v = s(c).view(id, readsTraces(c))
  return v ? c.json({ ...v, ...namesOf(c, [v.report], v.report, v.trace) }, 200) : fail(c, 'leak.not_found', { id })
}

export const confirm: AppRouteHandler<typeof routes.confirm> = (c) => {
  const id = c.req.param('id')!
  const r = s(c).confirm(callerOf(c), id, c.req.valid('json').reason)
  return r.ok ? c.json(r.value, 200) : custodyRefused(c, r.error, 'custody.leak.confirm', { type: 'leak', id })
}

export const dismiss: AppRouteHandler<typeof routes.dismiss> = (c) => {
  const id = c.req.param('id')!
  const r = s(c).dismiss(callerOf(c), id, c.req.valid('json').reason)
  return r.ok ? c.json(r.value, 200) : custodyRefused(c, r.error, 'custody.leak.dismiss', { type: 'leak', id })
}

export const decide: AppRouteHandler<typeof routes.decide> = (c) => {
  const id = c.req.param('id')!
  const r = s(c).decideSession(callerOf(c), id, c.req.valid('json'))
  return r.ok ? c.json(r.value, 200) : custodyRefused(c, r.error, 'custody.leak.decide', { type: 'leak', id })
}

export const traceCopy: AppRouteHandler<typeof routes.traceCopy> = (c) => {
  const { copyNumber } = c.req.valid('param')
  const { paperId } = c.req.valid('query')
  const r = s(c).traceCopy(paperId, copyNumber)
  if (r.ok) return c.json({ ...r.value, ...namesOf(c, [], r.value) }, 200)
  return r.error.code === 'trace.copy_unknown' ? fail(c, 'trace.copy_unknown', r.error) : custodyRefused(c, r.error, 'custody.trace.copy')
}
