import { streamSSE } from 'hono/streaming'
import type { Ctx } from '../_context.ts'
import { type AppRouteHandler, fail, refuse } from '../_route.ts'
import { sessionToken } from '../session.ts'
import { renderRoomRecord } from './room-record-page.ts'
import type * as routes from './kiosk-room.routes.ts'

/** A comment line this often keeps proxies from closing a quiet stream. */
export const HEARTBEAT_MS = 20_000
const CST_MS = 8 * 3600_000

const s = (c: Ctx) => c.var.services
const cstDay = (ms: number): number => Math.floor((ms + CST_MS) / 86_400_000)

export const liveSessions: AppRouteHandler<typeof routes.liveSessions> = (c) => {
  const today = cstDay(s(c).clock())
  const sessions = s(c)
    .rooms.sessions()
    .map((x) => ({
      id: x.id,
      name: [x.occupationName, x.subjectName].filter(Boolean).join(' · ') || x.id,
      startsAt: x.startsAt,
      endsAt: x.endsAt,
      status: x.status,
      today: cstDay(x.startsAt) === today,
    }))
    // Today's first, then the coming ones, then the past, each by start.
    .sort((a, b) => Number(b.today) - Number(a.today) || Number(b.startsAt >= s(c).clock()) - Number(a.startsAt >= s(c).clock()) || a.startsAt - b.startsAt)
  return c.json({ sessions }, 200)
}

export const live: AppRouteHandler<typeof routes.live> = (c) => {
  const { session } = c.req.valid('query')
  const view = s(c).kioskRoom.live(session, s(c).clock())
  return view ? c.json(view, 200) : fail(c, 'session.not_found', { id: session })
}

export const liveStream: AppRouteHandler<typeof routes.liveStream> = (c) => {
  const { session } = c.req.valid('query')
  const room = s(c).kioskRoom
  const first = room.live(session, s(c).clock())
  if (!first) return fail(c, 'session.not_found', { id: session })
  const token = sessionToken(c)
  return streamSSE(c, async (stream) => {
    let pending = false
    let wake: (() => void) | null = null
    let timer: ReturnType<typeof setTimeout> | undefined
    const off = room.events.on(session, () => {
      pending = true
      wake?.()
    })
    stream.onAbort(() => {
      off()
      wake?.()
    })
    try {
      await stream.writeSSE({ event: 'snapshot', data: JSON.stringify(first), retry: 5000 })
      let id = 0
      while (!stream.aborted && !stream.closed) {
        await new Promise<void>((res) => {
          wake = res
          timer = setTimeout(res, HEARTBEAT_MS)
          if (pending) res()
        })
        clearTimeout(timer)
        wake = null
        if (stream.aborted) break
        // A stream outlives nothing its viewer lost: a logout, a disabled account or a removed role ends it.
        const still = s(c).accounts.authenticate(token)
        if (!still || !still.roles.some((r) => r === 'supervisor' || r === 'admin')) break
        if (pending) {
          pending = false
          const view = room.live(session, s(c).clock())
          if (view) await stream.writeSSE({ event: 'changed', data: JSON.stringify(view), id: String(++id) })
        } else await stream.write(': heartbeat\n\n')
      }
    } finally {
      off()
      clearTimeout(timer)
    }
  })
}

export const roomRecord: AppRouteHandler<typeof routes.roomRecord> = async (c) => {
  const { session, room } = c.req.valid('query')
  const v = { userId: c.var.principal!.userId, roles: c.var.actingRoles }
  // An invigilator reads only the record of a room they serve in; the refusal says no more than that.
  if (!s(c).scope.canSeeRoom(v, session, room)) {
    return refuse(c, 'scope.not_assigned', 'request.refused', { session, room }, { type: 'exam_session', id: session })
  }
  const sheet = s(c).kioskRoom.roomRecord(session, room)
  if (!sheet) return fail(c, s(c).rooms.session(session) ? 'room.not_attached' : 'session.not_found', { session, room })
  return c.html(await renderRoomRecord(sheet), 200, { 'Cache-Control': 'private, no-store' })
}
