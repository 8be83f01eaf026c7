import { z } from '@hono/zod-openapi'
import { route } from '../_route.ts'
import { errors, json } from '../_schemas.ts'

/** R9.1: the body's yearly statistics, for the people who report them. Body-wide, so no site scope applies. */
const READERS = { roles: ['admin', 'supervisor', 'registrar'] } as const

const Year = z.string().max(8).openapi({ example: '2026', description: 'A year (2000–2100): batches whose last exam day falls in it' })

const CountsSchema = z.object({
  batches: z.number(),
  registered: z.number().openapi({ description: 'Every registration (rejected and withdrawn included)' }),
  approved: z.number(),
  paid: z.number(),
  sat: z.number().openapi({ description: 'Admitted by a door to at least one session of the batch' }),
  passed: z.number().openapi({ description: "Overall 'passed' in published results" }),
  certified: z.number(),
  incidents: z.number(),
  leaks: z.number().openapi({ description: 'Confirmed leak reports' }),
  satPublished: z.number().openapi({ description: 'Sat in batches with published results (the pass rate denominator)' }),
  unpublished: z.number().openapi({ description: 'Batches without published results' }),
  passRate: z.number().nullable().openapi({ description: 'passed ÷ satPublished; null when satPublished is 0' }),
})

const RowSchema = CountsSchema.extend({ occupationCode: z.string(), occupationName: z.string(), level: z.number() })

const BatchSchema = z.object({
  batchId: z.string(),
  title: z.string(),
  occupationCode: z.string(),
  occupationName: z.string(),
  level: z.number(),
  examEndDate: z.string(),
  registered: z.number(),
  approved: z.number(),
  paid: z.number(),
  sat: z.number(),
  passed: z.number().nullable(),
  certified: z.number(),
  incidents: z.number(),
  leaks: z.number(),
})

const SummarySchema = z.object({
  year: z.number(),
  batches: z.number(),
  occupations: z.number(),
  categories: z.number(),
  registered: z.number(),
  approved: z.number(),
  paid: z.number(),
  sat: z.number(),
  passed: z.number(),
  passRate: z.number().nullable(),
  certified: z.number(),
  incidents: z.number(),
  leaks: z.number(),
  unpublished: z.number(),
  text: z.object({ zh: z.string(), en: z.string() }),
})

export const YearStatisticsSchema = z
  .object({
    year: z.number(),
    rows: z.array(RowSchema),
    totals: CountsSchema,
    occupations: z.number(),
    batches: z.array(BatchSchema),
    summary: SummarySchema,
  })
  .openapi('YearStatistics')

export const year = route({
  method: 'get',
  path: '/api/statistics',
  access: READERS,
  tags: ['statistics'],
  summary: "A year's comprehensive table (per occupation and level, with totals), its batches and the summary report (R9.1)",
  request: { query: z.object({ year: Year }) },
  responses: { 200: json(YearStatisticsSchema, 'The statistics of the year'), ...errors(400, 401, 403) },
})

export const years = route({
  method: 'get',
  path: '/api/statistics/years',
  access: READERS,
  tags: ['statistics'],
  summary: 'Years with certification batches, newest first',
  responses: { 200: json(z.object({ years: z.array(z.number()) }), 'The years'), ...errors(401, 403) },
})

export const csv = route({
  method: 'get',
  path: '/api/statistics.csv',
  access: READERS,
  tags: ['statistics'],
  summary: "A year's comprehensive table as CSV with Chinese headers: UTF-8 with BOM, or GB18030 for Excel",
  request: { query: z.object({ year: Year, encoding: z.string().max(16).optional().openapi({ description: 'utf-8 (default) or gb18030' }) }) },
  responses: { 200: { content: { 'text/csv': { schema: z.string() } }, description: 'The table as CSV' }, ...errors(400, 401, 403) },
})
