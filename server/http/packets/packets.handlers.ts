import type { Handover } from '../../domain/custody/index.ts'
import { actorOf } from '../../services/index.ts'
import type { Person } from '../../services/index.ts'
import type { CustodyError, Viewer } from '../../services/custody.ts'
import type { LeaksError } from '../../services/leaks.ts'
import type { Ctx } from '../_context.ts'
import { type AppRouteHandler, fail, refuse } from '../_route.ts'
import { peopleIn } from '../custody-people.ts'
import { clientAddress } from '../session.ts'
import type * as routes from './packets.routes.ts'

export const callerOf = (c: Ctx): Person => actorOf(c.var.principal!, c.var.actingRoles) as Person
export const viewerOf = (c: Ctx): Viewer => ({ userId: c.var.principal!.userId, roles: c.var.actingRoles })

const NOT_FOUND: ReadonlySet<string> = new Set([
  'packet.not_found',
  'paper.not_found',
  'handover.not_found',
  'alert.not_found',
  'leak.not_found',
  'session.not_found',
])

/**
 * The flat fields of a refusal, for its log event (no personal data is ever in a custody refusal). The log
 * takes integers only: any other number (a count of 27.5 someone typed) is written as text.
 */
function flat(e: object): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {}
  for (const [k, v] of Object.entries(e)) {
    if (k === 'code') continue
    if (typeof v === 'number') out[k] = Number.isSafeInteger(v) ? v : String(v)
    else if (v === null || typeof v === 'string' || typeof v === 'boolean') out[k] = v
  }
  return out
}

/** A custody refusal: a missing record answers 404 plainly; a rule's refusal is answered and logged against its subject. */
export function custodyRefused(c: Ctx, e: CustodyError | LeaksError, action: string, subject?: { type: string; id: string }): Response {
  if (NOT_FOUND.has(e.code)) return fail(c, e.code, e)
  // The opening refusal says when the packet may be opened, in Beijing wall-clock time (R5.3).
  const details = e.code === 'open.too_early' ? { ...e, earliestText: beijingMinute(e.earliest) } : e
  return refuse(c, e.code, action, flat(e), subject, details)
}

/** An instant as Beijing wall-clock text to the minute: 2026-12-12 08:45. */
const beijingMinute = (ms: number): string => new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')

const s = (c: Ctx) => c.var.services.custody

export const list: AppRouteHandler<typeof routes.list> = (c) => {
  const q = c.req.valid('query')
  const packets = s(c).packets(viewerOf(c), q)
  return c.json({ packets, rooms: s(c).roomNames(packets), people: peopleIn(c, packets) }, 200)
}

export const get: AppRouteHandler<typeof routes.get> = (c) => {
  const id = c.req.param('id')!
  const packet = s(c).packet(id)
  if (!packet) return fail(c, 'packet.not_found', { id })
  const view = s(c).view(viewerOf(c), id)
  if (!view) return refuse(c, 'scope.not_assigned', 'request.refused', { packetId: id }, { type: 'packet', id })
  return c.json({ ...view, people: peopleIn(c, view.packet, view.pendingHandover, view.handovers) }, 200)
}

export const receivers: AppRouteHandler<typeof routes.receivers> = (c) => {
  const id = c.req.param('id')!
  if (!s(c).packet(id)) return fail(c, 'packet.not_found', { id })
  const receivers = s(c).receivers(viewerOf(c), id, c.req.valid('query').action)
  if (!receivers) return refuse(c, 'scope.not_assigned', 'request.refused', { packetId: id }, { type: 'packet', id })
  return c.json({ receivers }, 200)
}

export const move: AppRouteHandler<typeof routes.move> = async (c) => {
  const id = c.req.param('id')!
  const cmd = c.req.valid('json')
  const r = await s(c).move(callerOf(c), id, cmd, clientAddress(c))
  return r.ok
    ? c.json({ packet: s(c).screen(viewerOf(c), r.value.packet) }, 200)
    : custodyRefused(c, r.error, `custody.packet.${cmd.action}`, { type: 'packet', id })
}

export const offerHandover: AppRouteHandler<typeof routes.offerHandover> = (c) => {
  const id = c.req.param('id')!
  const body = c.req.valid('json')
  const r = s(c).offerHandover(callerOf(c), id, { ...body, sealSeen: body.sealSeen ?? null })
  return r.ok ? c.json(s(c).screenHandover(viewerOf(c), r.value), 201) : custodyRefused(c, r.error, 'custody.handover.offer', { type: 'packet', id })
}

export const confirmHandover: AppRouteHandler<typeof routes.confirmHandover> = (c) => {
  const id = c.req.param('id')!
  const body = c.req.valid('json')
  const r = s(c).confirmHandover(callerOf(c), id, { sealSeen: body.sealSeen ?? null, condition: body.condition })
  const packetId = s(c).handover(id)?.packetId
  const v = viewerOf(c)
  return r.ok
    ? c.json({ handover: s(c).screenHandover(v, r.value.handover), packet: s(c).screen(v, r.value.packet) }, 200)
    : custodyRefused(c, r.error, 'custody.handover.confirm', packetId ? { type: 'packet', id: packetId } : undefined)
}

export const declineHandover: AppRouteHandler<typeof routes.declineHandover> = (c) => {
  const id = c.req.param('id')!
  const r = s(c).closeHandover(callerOf(c), id, c.req.valid('json').reason)
  const packetId = s(c).handover(id)?.packetId
  return r.ok
    ? c.json(s(c).screenHandover(viewerOf(c), r.value), 200)
    : custodyRefused(c, r.error, 'custody.handover.decline', packetId ? { type: 'packet', id: packetId } : undefined)
}

export const handovers: AppRouteHandler<typeof routes.handovers> = (c) => {
  const v = viewerOf(c)
  const all = c.req.valid('query').mine !== '1' && v.roles.some((r) => r !== 'invigilator')
  // The receiver of an offer checks its seal blind: the seal the giver saw is not shown to them (R5.3).
  const screened = (hs: Handover[]) => hs.map((h) => s(c).screenHandover(v, h))
  const handovers = screened(s(c).pendingHandovers(all ? undefined : v.userId))
  const offered = screened(s(c).offeredBy(v.userId))
  const packets = [...new Set([...handovers, ...offered].map((h) => h.packetId))].flatMap((id) => s(c).packet(id) ?? [])
  return c.json(
    {
      handovers,
      offered,
      people: peopleIn(c, handovers, offered),
      packets: Object.fromEntries(packets.map((p) => [p.id, { roomId: p.roomId, copies: p.copies }])),
      rooms: s(c).roomNames(packets),
    },
    200,
  )
}

export const open: AppRouteHandler<typeof routes.open> = async (c) => {
  const id = c.req.param('id')!
  const body = c.req.valid('json')
  const r = await s(c).open(callerOf(c), id, body, clientAddress(c))
  return r.ok ? c.json({ packet: s(c).screen(viewerOf(c), r.value.packet) }, 200) : custodyRefused(c, r.error, 'custody.packet.open', { type: 'packet', id })
}

export const recover: AppRouteHandler<typeof routes.recover> = (c) => {
  const id = c.req.param('id')!
  const r = s(c).recover(callerOf(c), id, c.req.valid('json').counts)
  return r.ok
    ? c.json({ packet: s(c).screen(viewerOf(c), r.value.packet), incident: r.value.incident }, 200)
    : custodyRefused(c, r.error, 'custody.packet.recover', { type: 'packet', id })
}

export const dispose: AppRouteHandler<typeof routes.dispose> = async (c) => {
  const body = c.req.valid('json')
  const r = await s(c).dispose(callerOf(c), body, clientAddress(c))
  return r.ok ? c.json(r.value, 201) : custodyRefused(c, r.error, 'custody.disposal.create')
}

export const disposalsDue: AppRouteHandler<typeof routes.disposalsDue> = (c) => {
  const due = s(c).disposalsDue()
  const papers: Record<string, { title: string }> = {}
  for (const id of new Set(due.packets.map((p) => p.paperId))) {
    const paper = c.var.services.papers.paper(id)
    if (paper) papers[id] = { title: paper.title }
  }
  return c.json({ ...due, rooms: s(c).roomNames(due.packets), papers }, 200)
}

export const alerts: AppRouteHandler<typeof routes.alerts> = (c) => {
  const alerts = s(c).alerts(c.req.valid('query').open === '1')
  const packets = [...new Set(alerts.flatMap((a) => (a.subject?.type === 'packet' ? [a.subject.id] : [])))].flatMap((id) => s(c).packet(id) ?? [])
  const papers: Record<string, { title: string }> = {}
  for (const a of alerts) {
    const paper = a.subject?.type === 'paper' ? c.var.services.papers.paper(a.subject.id) : null
    if (paper) papers[paper.id] = { title: paper.title }
  }
  return c.json(
    {
      alerts,
      people: peopleIn(
        c,
        alerts.map((a) => a.data),
      ),
      papers,
      rooms: s(c).roomNames(packets),
      packets: Object.fromEntries(packets.map((p) => [p.id, { roomId: p.roomId, copies: p.copies }])),
    },
    200,
  )
}

export const acknowledgeAlert: AppRouteHandler<typeof routes.acknowledgeAlert> = (c) => {
  const id = c.req.param('id')!
  const r = s(c).acknowledgeAlert(callerOf(c), id)
  return r.ok ? c.json(r.value, 200) : custodyRefused(c, r.error, 'custody.alert_acknowledge', { type: 'alert', id })
}
