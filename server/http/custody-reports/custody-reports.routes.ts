import { z } from '@hono/zod-openapi'
import { route } from '../_route.ts'
import { errors } from '../_schemas.ts'
import { PeopleSchema } from '../custody-people.ts'

/** Supervisors read everything of custody (R6.4); custodians keep the records; administrators oversee. */
const READERS = { roles: ['custodian', 'supervisor', 'admin'] } as const

const IdParam = z.object({ id: z.string().min(1).max(64) })
const Format = z.object({ format: z.enum(['json', 'csv']).optional() })
const ReportSchema = z
  .looseObject({
    people: PeopleSchema.optional(),
    rooms: z.record(z.string(), z.string()).optional().openapi({ description: 'Room names ("site room") by room id' }),
    refusals: z
      .record(z.string(), z.object({ zh: z.string(), en: z.string() }))
      .optional()
      .openapi({ description: 'What each refusal code in the events means, in words' }),
    checkpoint: z.string().openapi({ description: 'The signed checkpoint note every proof leads to' }),
    size: z.number(),
    events: z.array(
      z.looseObject({
        index: z.number(),
        time: z.string(),
        actor: z.unknown(),
        action: z.string(),
        data: z.record(z.string(), z.unknown()),
        bytes: z.string(),
        leafHash: z.string(),
        inclusionProof: z.array(z.string()),
      }),
    ),
  })
  .openapi('CustodyReport')
const REPORT_RESPONSE = {
  content: { 'application/json': { schema: ReportSchema }, 'text/csv': { schema: z.string() } },
  description: 'The report (format=csv: UTF-8 CSV with BOM)',
}
const PAGE_RESPONSE = { content: { 'text/html': { schema: z.string() } }, description: 'Printable A4 report' }

export const paperReport = route({
  method: 'get',
  path: '/api/reports/papers/{id}',
  access: READERS,
  tags: ['reports'],
  summary: "A paper's custody report: every event of the paper, its print jobs, packets, incidents, disposals and leaks, each with its inclusion proof",
  request: { params: IdParam, query: Format },
  responses: { 200: REPORT_RESPONSE, ...errors(400, 401, 403, 404) },
})

export const packetReport = route({
  method: 'get',
  path: '/api/reports/packets/{id}',
  access: READERS,
  tags: ['reports'],
  summary: "A packet's custody report: its print job, moves, incidents, disposal and leaks, each event with its inclusion proof",
  request: { params: IdParam, query: Format },
  responses: { 200: REPORT_RESPONSE, ...errors(400, 401, 403, 404) },
})

export const paperPage = route({
  method: 'get',
  path: '/reports/papers/{id}',
  access: READERS,
  tags: ['reports'],
  summary: "A paper's custody report as a printable A4 page, stamped with the signed checkpoint",
  request: { params: IdParam },
  responses: { 200: PAGE_RESPONSE, ...errors(401, 403, 404) },
})

export const packetPage = route({
  method: 'get',
  path: '/reports/packets/{id}',
  access: READERS,
  tags: ['reports'],
  summary: "A packet's custody report as a printable A4 page, stamped with the signed checkpoint",
  request: { params: IdParam },
  responses: { 200: PAGE_RESPONSE, ...errors(401, 403, 404) },
})
