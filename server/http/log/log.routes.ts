import { z } from '@hono/zod-openapi'
import { route } from '../_route.ts'
import { errors, json } from '../_schemas.ts'
import { PeopleSchema } from '../custody-people.ts'

const READERS = { roles: ['supervisor', 'admin'] } as const
export const MAX_PAGE = 1000
const count = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER)

export const checkpoint = route({
  method: 'get',
  path: '/api/log/checkpoint',
  access: 'public',
  tags: ['log'],
  summary:
    'The latest signed checkpoint (C2SP tlog-checkpoint signed note), signed now if events arrived since, with the cosignature lines of outside witnesses (c2sp.org/tlog-cosignature)',
  responses: { 200: { content: { 'text/plain': { schema: z.string() } }, description: 'Signed note' } },
})

export const witnesses = route({
  method: 'get',
  path: '/api/log/witnesses',
  access: 'public',
  tags: ['log'],
  summary: 'The outside witnesses this log sends its checkpoints to (tlog-witness): their cosigner vkeys and the last size each cosigned',
  responses: {
    200: json(
      z.object({
        witnesses: z.array(
          z.object({
            name: z.string(),
            keyId: z.string(),
            vkey: z.string(),
            cosignedSize: z.number().nullable(),
            cosignedAt: z.string().nullable(),
            problem: z.string().nullable(),
            refused: z.object({ size: z.number(), status: z.number() }).nullable(),
            lastAttemptAt: z.string().nullable(),
          }),
        ),
      }),
      'Witnesses',
    ),
  },
})

export const key = route({
  method: 'get',
  path: '/api/log/key',
  access: 'public',
  tags: ['log'],
  summary: "The log's verifier key (signed-note vkey: name+hexkeyid+base64(0x01||pubkey)); earlier keys follow on later lines",
  responses: { 200: { content: { 'text/plain': { schema: z.string() } }, description: 'vkey lines, current first' } },
})

export const entries = route({
  method: 'get',
  path: '/api/log/entries',
  access: READERS,
  tags: ['log'],
  summary: `Log entries [start, end), at most ${MAX_PAGE} at a time, with canonical bytes and decoded fields`,
  request: { query: z.object({ start: count, end: count }) },
  responses: {
    200: json(
      z.object({
        size: z.number(),
        entries: z.array(z.object({ index: z.number(), bytes: z.string(), leafHash: z.string(), event: z.unknown() })),
        people: PeopleSchema,
        subjects: z
          .record(z.string(), z.string())
          .openapi({ description: 'What the entries are about, by name ("type:id" → name): papers, packets, sessions, rooms' }),
      }),
      'Entries',
    ),
    ...errors(400, 401, 403),
  },
})

export const inclusionProof = route({
  method: 'get',
  path: '/api/log/proof/inclusion',
  access: READERS,
  tags: ['log'],
  summary: 'RFC 9162 inclusion proof of entry `index` in the tree of `size` entries',
  request: { query: z.object({ index: count, size: count }) },
  responses: {
    200: json(z.object({ index: z.number(), size: z.number(), leafHash: z.string(), proof: z.array(z.string()) }), 'Proof (base64 hashes)'),
    ...errors(400, 401, 403),
  },
})

export const consistencyProof = route({
  method: 'get',
  path: '/api/log/proof/consistency',
  access: READERS,
  tags: ['log'],
  summary: 'RFC 9162 consistency proof between tree sizes `from` and `to`',
  request: { query: z.object({ from: count, to: count }) },
  responses: { 200: json(z.object({ from: z.number(), to: z.number(), proof: z.array(z.string()) }), 'Proof (base64 hashes)'), ...errors(400, 401, 403) },
})

export const exportLog = route({
  method: 'get',
  path: '/api/log/export',
  access: READERS,
  tags: ['log'],
  summary: 'The whole log as JSON Lines: every event, then the signed checkpoint; check it with `npm run verify-log`',
  responses: { 200: { content: { 'application/x-ndjson': { schema: z.string() } }, description: 'JSON Lines' }, ...errors(401, 403) },
})

export const rotateKey = route({
  method: 'post',
  path: '/api/log/key/rotate',
  access: { roles: ['admin'] },
  tags: ['log'],
  summary: "Rotate the log's signing key; the rotation event is signed by both keys, later checkpoints by the new one",
  responses: { 200: json(z.object({ vkey: z.string(), index: z.number() }), 'The new key'), ...errors(401, 403) },
})
