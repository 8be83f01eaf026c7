import { actorOf } from '../../services/index.ts'
import { type AppRouteHandler, fail } from '../_route.ts'
import { occupationJson, refused } from '../lifecycle-schemas.ts'
import type * as routes from './occupations.routes.ts'

export const list: AppRouteHandler<typeof routes.list> = (c) => c.json({ occupations: c.var.services.lifecycle.occupations.list().map(occupationJson) }, 200)

export const get: AppRouteHandler<typeof routes.get> = (c) => {
  const o = c.var.services.lifecycle.occupations.get(c.req.valid('param').code)
  return o ? c.json(occupationJson(o), 200) : fail(c, 'occupation.not_found')
}

export const create: AppRouteHandler<typeof routes.create> = (c) => {
  const body = c.req.valid('json')
  const r = c.var.services.lifecycle.occupations.create(actorOf(c.var.principal!, c.var.actingRoles), body)
  return r.ok ? c.json(occupationJson(r.value), 201) : refused(c, r.error, 'occupation.create', { type: 'occupation', id: body.code })
}

export const update: AppRouteHandler<typeof routes.update> = (c) => {
  const { code } = c.req.valid('param')
  const r = c.var.services.lifecycle.occupations.update(actorOf(c.var.principal!, c.var.actingRoles), code, c.req.valid('json'))
  return r.ok ? c.json(occupationJson(r.value), 200) : refused(c, r.error, 'occupation.update', { type: 'occupation', id: code })
}

export const calendarYears: AppRouteHandler<typeof routes.calendarYears> = (c) =>
  c.json(
    {
      years: c.var.services.lifecycle.calendar.years().map((y) => ({ ...y, updatedAt: y.updatedAt === null ? null : new Date(y.updatedAt).toISOString() })),
    },
    200,
  )

export const importCalendarYear: AppRouteHandler<typeof routes.importCalendarYear> = async (c) => {
  const { year } = c.req.valid('param')
  const r = c.var.services.lifecycle.calendar.importYear(actorOf(c.var.principal!, c.var.actingRoles), year, c.req.valid('json'))
  return r.ok
    ? c.json({ year: r.value.year, source: r.value.source, holidays: r.value.holidays.length, workdays: r.value.workdays.length }, 200)
    : refused(c, r.error, 'calendar.import', { type: 'calendar_year', id: String(year) })
}

export const deadline: AppRouteHandler<typeof routes.deadline> = (c) => {
  const q = c.req.valid('query')
  const cal = c.var.services.lifecycle.calendar
  const given = (['examDate', 'filedOn', 'publishedOn', 'examEndDate'] as const).filter((k) => q[k] !== undefined)
  const allowed = { plan: ['examDate', 'filedOn'], announcement: ['examDate', 'publishedOn'], results: ['examEndDate'] }[q.kind]
  if (given.length !== 1 || !allowed.includes(given[0]!)) {
    return fail(c, 'request.invalid', { target: 'query', issues: [{ path: '', message: `kind=${q.kind} takes exactly one of ${allowed.join(', ')}` }] })
  }
  const date = q[given[0]!]!
  const d =
    q.kind === 'plan'
      ? cal.deadline(given[0] === 'examDate' ? { kind: 'plan', examDate: date } : { kind: 'plan', filedOn: date })
      : q.kind === 'announcement'
        ? cal.deadline(given[0] === 'examDate' ? { kind: 'announcement', examDate: date } : { kind: 'announcement', publishedOn: date })
        : cal.deadline({ kind: 'results', examEndDate: date })
  return c.json({ kind: q.kind, [given[0]!]: date, ...d }, 200)
}
