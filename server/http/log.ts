import { z, type OpenAPIHono } from '@hono/zod-openapi'
import { ed25519, toBase64, toHex } from '../../crypto/index.ts'
import { actorOf } from '../services/index.ts'
import type { AppEnv, Ctx } from './_context.ts'
import { type RouteEntry, defineRoute, fail, input } from './_route.ts'
import { errors, json } from './_schemas.ts'
import { PeopleSchema, peopleIn } from './custody-people.ts'

const READERS = { roles: ['supervisor', 'admin'] } as const
const MAX_PAGE = 1000
const count = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER)

export function logRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  defineRoute(app, table, {
    method: 'get', path: '/api/log/checkpoint', access: 'public', tags: ['log'],
    summary: 'The latest signed checkpoint (C2SP tlog-checkpoint signed note), signed now if events arrived since, with the cosignature lines of outside witnesses (c2sp.org/tlog-cosignature)',
    responses: { 200: { content: { 'text/plain': { schema: z.string() } }, description: 'Signed note' } },
  }, async (c) => {
    const { log, witnesses } = c.var.services
    const cp = log.checkpoint()
    // A witness answers in milliseconds; a slow one delays this answer by at most a second, then the note goes without it.
    if (witnesses.configured) await witnesses.settle(1000)
    return c.text(witnesses.cosigned(cp), 200, { 'Cache-Control': 'no-store' })
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/log/witnesses', access: 'public', tags: ['log'],
    summary: 'The outside witnesses this log sends its checkpoints to (tlog-witness): their cosigner vkeys and the last size each cosigned',
    responses: {
      200: json(z.object({
        witnesses: z.array(z.object({
          name: z.string(), keyId: z.string(), vkey: z.string(),
          cosignedSize: z.number().nullable(), cosignedAt: z.string().nullable(), problem: z.string().nullable(),
          refused: z.object({ size: z.number(), status: z.number() }).nullable(), lastAttemptAt: z.string().nullable(),
        })),
      }), 'Witnesses'),
    },
  }, (c) => c.json({ witnesses: c.var.services.witnesses.status().map(({ url: _url, ...w }) => w) }, 200, { 'Cache-Control': 'no-store' }))

  defineRoute(app, table, {
    method: 'get', path: '/api/log/key', access: 'public', tags: ['log'],
    summary: "The log's verifier key (signed-note vkey: name+hexkeyid+base64(0x01||pubkey)); earlier keys follow on later lines",
    responses: { 200: { content: { 'text/plain': { schema: z.string() } }, description: 'vkey lines, current first' } },
  }, (c) => {
    const log = c.var.services.log
    const older = log.vkeys().filter((k) => k !== log.vkey).reverse()
    return c.text([log.vkey, ...older].join('\n') + '\n', 200)
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/log/entries', access: READERS, tags: ['log'],
    summary: `Log entries [start, end), at most ${MAX_PAGE} at a time, with canonical bytes and decoded fields`,
    request: { query: z.object({ start: count, end: count }) },
    responses: {
      200: json(z.object({
        size: z.number(), entries: z.array(z.object({ index: z.number(), bytes: z.string(), leafHash: z.string(), event: z.unknown() })),
        people: PeopleSchema,
        subjects: z.record(z.string(), z.string()).openapi({ description: 'What the entries are about, by name ("type:id" → name): papers, packets, sessions, rooms' }),
      }), 'Entries'),
      ...errors(400, 401, 403),
    },
  }, (c) => {
    const { start, end } = input<{ start: number; end: number }>(c, 'query')
    const log = c.var.services.log
    const size = log.size()
    if (end < start || end - start > MAX_PAGE) return fail(c, 'log.range_invalid', { start, end, maxPage: MAX_PAGE })
    const entries = log.store.entries(start, Math.min(end, size)).map((row) => {
      const e = log.entry(row.idx)!
      return { index: row.idx, bytes: toBase64(row.bytes), leafHash: toHex(row.leaf), event: e.event }
    })
    // The actors and the accounts the entries are about, by display name (decision record 010).
    const people = peopleIn(c, entries.map((e) => ({ actor: e.event.actor, userId: e.event.subject?.type === 'user' ? e.event.subject.id : null })))
    return c.json({ size, entries, people, subjects: subjectNames(c, entries.map((e) => e.event.subject)) }, 200)
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/log/proof/inclusion', access: READERS, tags: ['log'],
    summary: 'RFC 9162 inclusion proof of entry `index` in the tree of `size` entries',
    request: { query: z.object({ index: count, size: count }) },
    responses: { 200: json(z.object({ index: z.number(), size: z.number(), leafHash: z.string(), proof: z.array(z.string()) }), 'Proof (base64 hashes)'), ...errors(400, 401, 403) },
  }, (c) => {
    const { index, size } = input<{ index: number; size: number }>(c, 'query')
    const log = c.var.services.log
    if (size > log.size() || index >= size) return fail(c, 'log.index_out_of_range', { index, size, logSize: log.size() })
    const leaf = log.store.entry(index)!.leaf
    return c.json({ index, size, leafHash: toBase64(leaf), proof: log.inclusionProof(index, size).map(toBase64) }, 200)
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/log/proof/consistency', access: READERS, tags: ['log'],
    summary: 'RFC 9162 consistency proof between tree sizes `from` and `to`',
    request: { query: z.object({ from: count, to: count }) },
    responses: { 200: json(z.object({ from: z.number(), to: z.number(), proof: z.array(z.string()) }), 'Proof (base64 hashes)'), ...errors(400, 401, 403) },
  }, (c) => {
    const { from, to } = input<{ from: number; to: number }>(c, 'query')
    const log = c.var.services.log
    if (to > log.size() || from > to || from < 1) return fail(c, 'log.index_out_of_range', { from, to, logSize: log.size() })
    return c.json({ from, to, proof: log.consistencyProof(from, to).map(toBase64) }, 200)
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/log/export', access: READERS, tags: ['log'],
    summary: 'The whole log as JSON Lines: every event, then the signed checkpoint; check it with `npm run verify-log`',
    responses: { 200: { content: { 'application/x-ndjson': { schema: z.string() } }, description: 'JSON Lines' }, ...errors(401, 403) },
  }, async (c) => {
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
          if (n.done) { if (chunk) ctrl.enqueue(enc.encode(chunk)); ctrl.close(); return }
          chunk += n.value + '\n'
        }
        ctrl.enqueue(enc.encode(chunk))
      },
    })
    return c.body(stream, 200, {
      'Content-Type': 'application/x-ndjson; charset=utf-8',
      'Content-Disposition': `attachment; filename="custody-log-${new Date().toISOString().slice(0, 10)}.jsonl"`,
    })
  })
}

/** Rotating the log's signing key (admin): itself a log event, signed by the old and the new key. */
export function logKeyRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  defineRoute(app, table, {
    method: 'post', path: '/api/log/key/rotate', access: { roles: ['admin'] }, tags: ['log'],
    summary: "Rotate the log's signing key; the rotation event is signed by both keys, later checkpoints by the new one",
    responses: { 200: json(z.object({ vkey: z.string(), index: z.number() }), 'The new key'), ...errors(401, 403) },
  }, (c) => {
    const s = c.var.services
    const privateKey = ed25519.generatePrivateKey()
    const next = { name: s.log.origin, privateKey, publicKey: ed25519.publicKey(privateKey) }
    const event = s.db.transaction(() => s.log.rotateKey(actorOf(c.var.principal!, c.var.actingRoles), next, s.saveLogKey)).immediate()
    s.log.signCheckpoint()
    return c.json({ vkey: s.log.vkey, index: event.index }, 200)
  })
}

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
