import type { AppRouteHandler } from '../_route.ts'
import { fail } from '../_route.ts'
import type * as routes from './door-drill.routes.ts'
import { renderDrillSheet } from './drill-page.ts'

export const sheet: AppRouteHandler<typeof routes.sheet> = async (c) => {
  const r = c.var.services.doorDrill.sheet()
  if (!r.ok) return fail(c, r.error.code, {})
  return c.html(await renderDrillSheet(r.value), 200, { 'Cache-Control': 'private, no-store' })
}
