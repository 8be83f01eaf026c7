import { z } from '@hono/zod-openapi'
import { route } from '../_route.ts'
import { errors, json, jsonBody } from '../_schemas.ts'
import { CivilDateSchema, OccupationBody, OccupationSchema } from '../lifecycle-schemas.ts'

/** The occupations a plan is for are the registrar's to keep; administrators keep the calendar (README roles). */
const DESK = { roles: ['registrar'] } as const
const ADMIN = { roles: ['admin'] } as const
const CodeParam = z.object({ code: z.string().min(1).max(64) })

export const list = route({
  method: 'get',
  path: '/api/occupations',
  access: 'authenticated',
  tags: ['occupations'],
  summary: 'Occupations with their levels, eligibility conditions and subjects',
  responses: { 200: json(z.object({ occupations: z.array(OccupationSchema) }), 'Occupations'), ...errors(401) },
})

export const get = route({
  method: 'get',
  path: '/api/occupations/{code}',
  access: 'authenticated',
  tags: ['occupations'],
  summary: 'One occupation',
  request: { params: CodeParam },
  responses: { 200: json(OccupationSchema, 'The occupation'), ...errors(401, 404) },
})

export const create = route({
  method: 'post',
  path: '/api/occupations',
  access: DESK,
  tags: ['occupations'],
  summary: 'Add an occupation (职业/工种) with levels 5..1, conditions, hazardous flag and subjects',
  request: jsonBody(OccupationBody),
  responses: { 201: json(OccupationSchema, 'Created'), ...errors(400, 401, 403, 409) },
})

export const update = route({
  method: 'put',
  path: '/api/occupations/{code}',
  access: DESK,
  tags: ['occupations'],
  summary: "Replace an occupation's definition (subjects sent with their id keep it; subjects or levels in use cannot go)",
  request: { params: CodeParam, ...jsonBody(OccupationBody) },
  responses: { 200: json(OccupationSchema, 'Updated'), ...errors(400, 401, 403, 404, 409) },
})

export const calendarYears = route({
  method: 'get',
  path: '/api/calendar/years',
  access: 'authenticated',
  tags: ['calendar'],
  summary: 'Years with an official holiday list, with their source (shipped or imported by an administrator)',
  responses: {
    200: json(
      z.object({
        years: z.array(
          z.object({
            year: z.number(),
            source: z.string(),
            origin: z.enum(['shipped', 'stored']),
            holidays: z.number(),
            workdays: z.number(),
            updatedAt: z.string().nullable(),
          }),
        ),
      }),
      'Years',
    ),
    ...errors(401),
  },
})

export const importCalendarYear = route({
  method: 'put',
  path: '/api/calendar/years/{year}',
  access: ADMIN,
  tags: ['calendar'],
  summary: "Import one year's official holiday list (国务院办公厅 notice): { year, source, holidays, workdays }",
  request: {
    params: z.object({ year: z.coerce.number().int().min(1949).max(2999) }),
    body: {
      content: { 'application/json': { schema: z.unknown().openapi({ description: 'HolidayYear JSON, checked by parseHolidayYear' }) } },
      required: true,
    },
  },
  responses: { 200: json(z.object({ year: z.number(), source: z.string(), holidays: z.number(), workdays: z.number() }), 'Stored'), ...errors(400, 401, 403) },
})

export const deadline = route({
  method: 'get',
  path: '/api/calendar/deadline',
  access: 'authenticated',
  tags: ['calendar'],
  summary: 'A date the rules fix: plan filing (R2.1), announcement (R2.3) or results (R7.2); provisional when a year has no official list',
  description:
    'kind=plan with examDate (latest filing day) or filedOn (earliest exam day); kind=announcement with examDate or publishedOn; kind=results with examEndDate.',
  request: {
    query: z.object({
      kind: z.enum(['plan', 'announcement', 'results']),
      examDate: CivilDateSchema.optional(),
      filedOn: CivilDateSchema.optional(),
      publishedOn: CivilDateSchema.optional(),
      examEndDate: CivilDateSchema.optional(),
    }),
  },
  responses: {
    200: json(z.object({ kind: z.string(), meaning: z.string(), rule: z.string(), date: z.string(), provisional: z.boolean() }), 'The date'),
    ...errors(400, 401),
  },
})
