import { ed25519, toBase64, toHex } from '../../../crypto/index.ts'
import { actorOf } from '../../services/index.ts'
import type { Ctx } from '../_context.ts'
import { type AppRouteHandler, fail } from '../_route.ts'
import { peopleIn } from '../custody-people.ts'
import type * as routes from './log.routes.ts'
import { MAX_PAGE } from './log.routes.ts'

const copyNo = (n: number): string => String(n).padStart(4, '0')
const minute = (ms: number): string => new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')

/** Names of the subjects people read by name (decision record 010): a paper's title, a packet's room and copies, a session, a room. */
function subjectNames(c: Ctx, subjects: ReadonlyArray<{ type: string; id: string } | null>): Record<string, string> {
  const out: Record<string, string> = {}
  const custody = c.var.services.custody
  const roomName = (id: string): string | null => {
    const { room, site } = custody.placeOf({ examSessionId: '', roomId: id })
    return room ? (site ? `${site.name} ${room.name}` : room.name) : null
  }
  for (const s of subjects) {
    if (!s || `${s.type}:${s.id}` in out) continue
    let name: string | null = null
    if (s.type === 'paper') name = c.var.services.papers.paper(s.id)?.title ?? null
    else if (s.type === 'packet') {
      const p = custody.packet(s.id)
      if (p) name = `${p.roomId ? (roomName(p.roomId) ?? '') : '—'} · ${copyNo(p.copies.first)}–${copyNo(p.copies.last)}`
    } else if (s.type === 'exam_session') {
      const x = custody.sessionPlace(s.id)
      if (x) name = `${x.occupationName} ${x.subjectName} · ${minute(x.startsAt)}`
    } else if (s.type === 'room') name = roomName(s.id)
    if (name) out[`${s.type}:${s.id}`] = name
  }
  return out
}

export const checkpoint: AppRouteHandler<typeof routes.checkpoint> = async (c) => {
  const { log, witnesses } = c.var.services
  const cp = log.checkpoint()
  // A witness answers in milliseconds; a slow one delays this answer by at most a second, then the note goes without it.
  if (witnesses.configured) await witnesses.settle(1000)
  return c.text(witnesses.cosigned(cp), 200, { 'Cache-Control': 'no-store' })
}

export const witnesses: AppRouteHandler<typeof routes.witnesses> = (c) =>
  c.json({ witnesses: c.var.services.witnesses.status().map(({ url: _url, ...w }) => w) }, 200, { 'Cache-Control': 'no-store' })

export const key: AppRouteHandler<typeof routes.key> = (c) => {
  const log = c.var.services.log
  const older = log
    .vkeys()
    .filter((k) => k !== log.vkey)
    .reverse()
  return c.text([log.vkey, ...older].join('\n') + '\n', 200)
}

export const entries: AppRouteHandler<typeof routes.entries> = (c) => {
  const { start, end } = c.req.valid('query')
  const log = c.var.services.log
  const size = log.size()
  if (end < start || end - start > MAX_PAGE) return fail(c, 'log.range_invalid', { start, end, maxPage: MAX_PAGE })
  const entries = log.store.entries(start, Math.min(end, size)).map((row) => {
    const e = log.entry(row.idx)!
    return { index: row.idx, bytes: toBase64(row.bytes), leafHash: toHex(row.leaf), event: e.event }
  })
  // The actors and the accounts the entries are about, by display name (decision record 010).
  const people = peopleIn(
    c,
    entries.map((e) => ({ actor: e.event.actor, userId: e.event.subject?.type === 'user' ? e.event.subject.id : null })),
  )
  return c.json(
    {
      size,
      entries,
      people,
      subjects: subjectNames(
        c,
        entries.map((e) => e.event.subject),
      ),
    },
    200,
  )
}

export const inclusionProof: AppRouteHandler<typeof routes.inclusionProof> = (c) => {
  const { index, size } = c.req.valid('query')
  const log = c.var.services.log
  if (size > log.size() || index >= size) return fail(c, 'log.index_out_of_range', { index, size, logSize: log.size() })
  const leaf = log.store.entry(index)!.leaf
  return c.json({ index, size, leafHash: toBase64(leaf), proof: log.inclusionProof(index, size).map(toBase64) }, 200)
}

export const consistencyProof: AppRouteHandler<typeof routes.consistencyProof> = (c) => {
  const { from, to } = c.req.valid('query')
  const log = c.var.services.log
  if (to > log.size() || from > to || from < 1) return fail(c, 'log.index_out_of_range', { from, to, logSize: log.size() })
  return c.json({ from, to, proof: log.consistencyProof(from, to).map(toBase64) }, 200)
}

export const exportLog: AppRouteHandler<typeof routes.exportLog> = async (c) => {
  const { log, witnesses } = c.var.services
  const cp = log.checkpoint()
  if (witnesses.configured) await witnesses.settle(3000)
  const lines = log.exportLines({ size: cp.size, note: witnesses.cosigned(cp) })
  const enc = new TextEncoder()
  const stream = new ReadableStream<Uint8Array>({
    pull(ctrl) {
      let chunk = ''
      for (let i = 0; i < 2000; i++) {
        const n = lines.next()
        if (n.done) {
          if (chunk) ctrl.enqueue(enc.encode(chunk))
          ctrl.close()
          return
        }
        chunk += n.value + '\n'
      }
      ctrl.enqueue(enc.encode(chunk))
    },
  })
  return c.body(stream, 200, {
    'Content-Type': 'application/x-ndjson; charset=utf-8',
    'Content-Disposition': `attachment; filename="custody-log-${new Date().toISOString().slice(0, 10)}.jsonl"`,
  })
}

export const rotateKey: AppRouteHandler<typeof routes.rotateKey> = (c) => {
  const s = c.var.services
  const privateKey = ed25519.generatePrivateKey()
  const next = { name: s.log.origin, privateKey, publicKey: ed25519.publicKey(privateKey) }
  const event = s.db.transaction(() => s.log.rotateKey(actorOf(c.var.principal!, c.var.actingRoles), next, s.saveLogKey)).immediate()
  s.log.signCheckpoint()
  return c.json({ vkey: s.log.vkey, index: event.index }, 200)
}
