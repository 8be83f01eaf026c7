import { z, type OpenAPIHono } from '@hono/zod-openapi'
import type { OccupationInput } from '../domain/lifecycle/index.ts'
import { actorOf } from '../services/index.ts'
import type { AppEnv } from './_context.ts'
import { type RouteEntry, defineRoute, fail, input } from './_route.ts'
import { errors, json, jsonBody } from './_schemas.ts'
import { CivilDateSchema, OccupationBody, OccupationSchema, occupationJson, refused } from './lifecycle-schemas.ts'

/** The occupations a plan is for are the registrar's to keep; administrators keep the calendar (README roles). */
const DESK = { roles: ['registrar'] } as const
const ADMIN = { roles: ['admin'] } as const
const CodeParam = z.object({ code: z.string().min(1).max(64) })

/** Occupations (职业/工种) and the working-day calendar. */
export function occupationRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  defineRoute(app, table, {
    method: 'get', path: '/api/occupations', access: 'authenticated', tags: ['occupations'],
    summary: 'Occupations with their levels, eligibility conditions and subjects',
    responses: { 200: json(z.object({ occupations: z.array(OccupationSchema) }), 'Occupations'), ...errors(401) },
  }, (c) => c.json({ occupations: c.var.services.lifecycle.occupations.list().map(occupationJson) }, 200))

  defineRoute(app, table, {
    method: 'get', path: '/api/occupations/{code}', access: 'authenticated', tags: ['occupations'],
    summary: 'One occupation',
    request: { params: CodeParam },
    responses: { 200: json(OccupationSchema, 'The occupation'), ...errors(401, 404) },
  }, (c) => {
    const o = c.var.services.lifecycle.occupations.get(input<{ code: string }>(c, 'param').code)
    return o ? c.json(occupationJson(o), 200) : fail(c, 'occupation.not_found')
  })

  defineRoute(app, table, {
    method: 'post', path: '/api/occupations', access: DESK, tags: ['occupations'],
    summary: 'Add an occupation (职业/工种) with levels 5..1, conditions, hazardous flag and subjects',
    request: jsonBody(OccupationBody),
    responses: { 201: json(OccupationSchema, 'Created'), ...errors(400, 401, 403, 409) },
  }, (c) => {
    const body = input<OccupationInput>(c, 'json')
    const r = c.var.services.lifecycle.occupations.create(actorOf(c.var.principal!, c.var.actingRoles), body)
    return r.ok ? c.json(occupationJson(r.value), 201) : refused(c, r.error, 'occupation.create', { type: 'occupation', id: body.code })
  })

  defineRoute(app, table, {
    method: 'put', path: '/api/occupations/{code}', access: DESK, tags: ['occupations'],
    summary: "Replace an occupation's definition (subjects sent with their id keep it; subjects or levels in use cannot go)",
    request: { params: CodeParam, ...jsonBody(OccupationBody) },
    responses: { 200: json(OccupationSchema, 'Updated'), ...errors(400, 401, 403, 404, 409) },
  }, (c) => {
    const { code } = input<{ code: string }>(c, 'param')
    const r = c.var.services.lifecycle.occupations.update(actorOf(c.var.principal!, c.var.actingRoles), code, input<OccupationInput>(c, 'json'))
    return r.ok ? c.json(occupationJson(r.value), 200) : refused(c, r.error, 'occupation.update', { type: 'occupation', id: code })
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/calendar/years', access: 'authenticated', tags: ['calendar'],
    summary: 'Years with an official holiday list, with their source (shipped or imported by an administrator)',
    responses: { 200: json(z.object({ years: z.array(z.object({ year: z.number(), source: z.string(), origin: z.enum(['shipped', 'stored']), holidays: z.number(), workdays: z.number(), updatedAt: z.string().nullable() })) }), 'Years'), ...errors(401) },
  }, (c) => c.json({
    years: c.var.services.lifecycle.calendar.years().map((y) => ({ ...y, updatedAt: y.updatedAt === null ? null : new Date(y.updatedAt).toISOString() })),
  }, 200))

  defineRoute(app, table, {
    method: 'put', path: '/api/calendar/years/{year}', access: ADMIN, tags: ['calendar'],
    summary: "Import one year's official holiday list (国务院办公厅 notice): { year, source, holidays, workdays }",
    request: {
      params: z.object({ year: z.coerce.number().int().min(1949).max(2999) }),
      body: { content: { 'application/json': { schema: z.unknown().openapi({ description: 'HolidayYear JSON, checked by parseHolidayYear' }) } }, required: true },
    },
    responses: { 200: json(z.object({ year: z.number(), source: z.string(), holidays: z.number(), workdays: z.number() }), 'Stored'), ...errors(400, 401, 403) },
  }, async (c) => {
    const { year } = input<{ year: number }>(c, 'param')
    const r = c.var.services.lifecycle.calendar.importYear(actorOf(c.var.principal!, c.var.actingRoles), year, input<unknown>(c, 'json'))
    return r.ok
      ? c.json({ year: r.value.year, source: r.value.source, holidays: r.value.holidays.length, workdays: r.value.workdays.length }, 200)
      : refused(c, r.error, 'calendar.import', { type: 'calendar_year', id: String(year) })
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/calendar/deadline', access: 'authenticated', tags: ['calendar'],
    summary: 'A date the rules fix: plan filing (R2.1), announcement (R2.3) or results (R7.2); provisional when a year has no official list',
    description: 'kind=plan with examDate (latest filing day) or filedOn (earliest exam day); kind=announcement with examDate or publishedOn; kind=results with examEndDate.',
    request: {
      query: z.object({
        kind: z.enum(['plan', 'announcement', 'results']),
        examDate: CivilDateSchema.optional(), filedOn: CivilDateSchema.optional(), publishedOn: CivilDateSchema.optional(), examEndDate: CivilDateSchema.optional(),
      }),
    },
    responses: { 200: json(z.object({ kind: z.string(), meaning: z.string(), rule: z.string(), date: z.string(), provisional: z.boolean() }), 'The date'), ...errors(400, 401) },
  }, (c) => {
    const q = input<{ kind: 'plan' | 'announcement' | 'results'; examDate?: string; filedOn?: string; publishedOn?: string; examEndDate?: string }>(c, 'query')
    const cal = c.var.services.lifecycle.calendar
    const given = (['examDate', 'filedOn', 'publishedOn', 'examEndDate'] as const).filter((k) => q[k] !== undefined)
    const allowed = { plan: ['examDate', 'filedOn'], announcement: ['examDate', 'publishedOn'], results: ['examEndDate'] }[q.kind]
    if (given.length !== 1 || !allowed.includes(given[0]!)) {
      return fail(c, 'request.invalid', { target: 'query', issues: [{ path: '', message: `kind=${q.kind} takes exactly one of ${allowed.join(', ')}` }] })
    }
    const date = q[given[0]!]!
    const d = q.kind === 'plan'
      ? cal.deadline(given[0] === 'examDate' ? { kind: 'plan', examDate: date } : { kind: 'plan', filedOn: date })
      : q.kind === 'announcement'
        ? cal.deadline(given[0] === 'examDate' ? { kind: 'announcement', examDate: date } : { kind: 'announcement', publishedOn: date })
        : cal.deadline({ kind: 'results', examEndDate: date })
    return c.json({ kind: q.kind, [given[0]!]: date, ...d }, 200)
  })
}
