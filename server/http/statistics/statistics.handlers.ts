import type { Statistics } from '../../services/statistics.ts'
import type { Ctx } from '../_context.ts'
import { type AppRouteHandler, fail } from '../_route.ts'
import type * as routes from './statistics.routes.ts'

const stats = (c: Ctx): Statistics => c.var.services.statistics

/** A year is four digits; anything else is refused before it reaches the service. */
const parseYear = (raw: string): number => (/^\d{4}$/.test(raw) ? Number(raw) : Number.NaN)

export const year: AppRouteHandler<typeof routes.year> = (c) => {
  const r = stats(c).year(parseYear(c.req.valid('query').year))
  if (!r.ok) return fail(c, r.error.code)
  return c.json(r.value, 200, { 'Cache-Control': 'private, no-store' })
}

export const years: AppRouteHandler<typeof routes.years> = (c) => c.json({ years: stats(c).years() }, 200)

export const csv: AppRouteHandler<typeof routes.csv> = (c) => {
  const q = c.req.valid('query')
  const r = stats(c).csv(parseYear(q.year), q.encoding ?? 'utf-8')
  if (!r.ok) return fail(c, r.error.code)
  return c.body(r.value.bytes as Uint8Array<ArrayBuffer>, 200, {
    'Content-Type': `text/csv; charset=${r.value.charset}`,
    'Cache-Control': 'private, no-store',
    'Content-Disposition': `attachment; filename="${r.value.filename}"`,
  })
}
