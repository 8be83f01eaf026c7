import { route } from '../_route.ts'
import { z } from '@hono/zod-openapi'
import { errors } from '../_schemas.ts'

const HTML = { content: { 'text/html': { schema: z.string() } }, description: 'A printable A4 page' }

/** The demo's door drill sheet: fictional tickets for training invigilators at the kiosk. */
export const sheet = route({
  method: 'get',
  path: '/api/kiosk/drill/print',
  access: { roles: ['invigilator', 'examiner', 'supervisor', 'admin'] },
  tags: ['kiosk'],
  summary: "The door drill's printable sheet: the drill room's tickets and the ones the kiosk must refuse, each with its expected verdict",
  responses: { 200: HTML, ...errors(401, 403, 404) },
})
