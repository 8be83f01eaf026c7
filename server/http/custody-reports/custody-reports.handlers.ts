import { type CustodyReport, type ReportNames, reportCsv } from '../../services/custody-reports.ts'
import type { Ctx } from '../_context.ts'
import { ERRORS, type ErrorCode } from '../_errors.ts'
import { type AppRouteHandler, fail, refuse } from '../_route.ts'
import { peopleIn } from '../custody-people.ts'
import type * as routes from './custody-reports.routes.ts'
import { type Names, cst, renderReport } from './report-page.ts'

const s = (c: Ctx) => c.var.services.custodyReports

const names = (c: Ctx): Names => {
  const cache = new Map<string, string>()
  const room = (id: string): string | null => {
    const { room: r, site } = c.var.services.custody.placeOf({ examSessionId: '', roomId: id })
    if (!r) return null
    return site ? `${site.name} ${r.name} 考场` : `${r.name} 考场`
  }
  const f = ((id: string) => {
    if (!cache.has(id)) cache.set(id, c.var.services.accounts.get(id)?.displayName ?? room(id) ?? id)
    return cache.get(id)!
  }) as Names
  f.user = (id) => c.var.services.accounts.get(id)?.username ?? null
  f.session = (id) => {
    const s = c.var.services.custody.sessionPlace(id)
    return s ? `${s.occupationName}（${s.levelName.split('/')[0]}）${s.subjectName} · ${cst(s.startsAt)}（北京时间）` : null
  }
  return f
}

const csvNames = (c: Ctx): ReportNames => {
  const n = names(c)
  return {
    person: (id) => c.var.services.accounts.get(id)?.displayName ?? null,
    room: (id) => {
      const x = n(id)
      return x === id ? null : x
    },
  }
}

/**
 * A report carries every seal of its packets in signed event bytes that cannot be cut: it is refused to
 * someone who still has to check one of those seals blind (R5.3, decision record 006).
 */
const blind = (c: Ctx, r: CustodyReport): Response | null => {
  const hidden = c.var.services.custody.firstHidden({ userId: c.var.principal!.userId }, r.packets)
  return hidden ? refuse(c, 'packet.seal_hidden', 'request.refused', { packetId: hidden.id }, { type: 'packet', id: hidden.id }, { packetId: hidden.id }) : null
}

const answer = (c: Ctx, r: CustodyReport, format: 'json' | 'csv' | undefined) => {
  const refused = blind(c, r)
  if (refused) return refused
  if (format !== 'csv') {
    const n = names(c)
    const rooms: Record<string, string> = {}
    for (const id of new Set([...r.packets.map((p) => p.roomId), ...r.events.map((e) => e.where?.room ?? null)])) {
      if (id !== null && n(id) !== id) rooms[id] = n(id)
    }
    // The refusals' codes as the sentences people were told, for pages that show why a step was refused.
    const refusals: Record<string, { zh: string; en: string }> = {}
    for (const e of r.events) {
      const code = e.data['code']
      if (typeof code === 'string' && code in ERRORS)
        refusals[code] = { zh: ERRORS[code as ErrorCode].zh.replace(/\{\w+\}/g, '…'), en: ERRORS[code as ErrorCode].en.replace(/\{\w+\}/g, '…') }
    }
    return c.json(
      {
        ...r,
        people: peopleIn(
          c,
          r.packets,
          r.events.map((e) => ({ actor: e.actor, data: e.data })),
        ),
        rooms,
        refusals,
      },
      200,
      { 'Cache-Control': 'private, no-store' },
    )
  }
  return c.body(reportCsv(r, csvNames(c)), 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Cache-Control': 'private, no-store',
    'Content-Disposition': `attachment; filename="custody-${r.kind}-${encodeURIComponent(r.subject.id)}.csv"`,
  })
}

export const paperReport: AppRouteHandler<typeof routes.paperReport> = (c) => {
  const id = c.req.param('id')!
  const r = s(c).paperReport(id)
  return r ? answer(c, r, c.req.valid('query').format) : fail(c, 'paper.not_found', { id })
}

export const packetReport: AppRouteHandler<typeof routes.packetReport> = (c) => {
  const id = c.req.param('id')!
  const r = s(c).packetReport(id)
  return r ? answer(c, r, c.req.valid('query').format) : fail(c, 'packet.not_found', { id })
}

export const paperPage: AppRouteHandler<typeof routes.paperPage> = async (c) => {
  const id = c.req.param('id')!
  const r = s(c).paperReport(id)
  if (!r) return fail(c, 'paper.not_found', { id })
  return blind(c, r) ?? c.html(await renderReport(r, names(c)), 200, { 'Cache-Control': 'private, no-store' })
}

export const packetPage: AppRouteHandler<typeof routes.packetPage> = async (c) => {
  const id = c.req.param('id')!
  const r = s(c).packetReport(id)
  if (!r) return fail(c, 'packet.not_found', { id })
  return blind(c, r) ?? c.html(await renderReport(r, names(c)), 200, { 'Cache-Control': 'private, no-store' })
}
