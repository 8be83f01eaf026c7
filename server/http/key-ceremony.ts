import { z, type OpenAPIHono } from '@hono/zod-openapi'
import type { KeyRefusal } from '../domain/keys/index.ts'
import { actorOf } from '../services/index.ts'
import type { PaperKeyState } from '../services/key-ceremony.ts'
import type { Person } from '../services/index.ts'
import type { AppEnv, Ctx } from './_context.ts'
import { type RouteEntry, defineRoute, input, refuse } from './_route.ts'
import { errors, json, jsonBody } from './_schemas.ts'
import { Passphrase } from './papers.ts'

/** Who sees the state of the split key: the administrator who starts ceremonies, the custodians who hold it, supervisors. */
const READ = { roles: ['admin', 'custodian', 'supervisor'] } as const
const ADMIN = { roles: ['admin'] } as const
const CUSTODIAN = { roles: ['custodian'] } as const

const iso = (ms: number) => new Date(ms).toISOString()
const actor = (c: Ctx): Person => actorOf(c.var.principal!, c.var.actingRoles) as Person

const Holder = z.object({ userId: z.string(), displayName: z.string() })
const CeremonySchema = z.object({
  id: z.string(), kind: z.enum(['initial', 'redeal']), state: z.enum(['open', 'completed', 'cancelled']), threshold: z.number(),
  holders: z.array(Holder.extend({ registered: z.boolean(), unlocked: z.boolean() })), startedBy: Holder, startedAt: z.string(),
  currentHoldersUnlocked: z.number().openapi({ description: 'Re-deal: current holders who unlocked their shares so far (k needed)' }),
}).openapi('KeyCeremony')
const StateSchema = z.object({
  key: z.object({
    id: z.string(), fingerprint: z.string().openapi({ description: 'SHA-256 of the X25519 public key, hex in groups of four' }),
    publicKey: z.string().openapi({ description: 'hex' }), threshold: z.number(), holders: z.array(Holder), createdAt: z.string(),
  }).nullable(),
  legacyMasterKeys: z.array(z.string()).openapi({ description: 'Plain master keys still in the data folder (converted and deleted by the first ceremony)' }),
  ceremony: CeremonySchema.nullable(),
  me: z.object({ holder: z.boolean(), named: z.boolean(), registered: z.boolean(), unlocked: z.boolean() }),
}).openapi('PaperKeyState')

function stateJson(c: Ctx, st: PaperKeyState) {
  const users = c.var.services.accounts
  const who = (id: string) => ({ userId: id, displayName: users.get(id)?.displayName ?? '—' })
  const me = c.var.principal!.userId
  const cer = st.ceremony
  return {
    key: st.key ? {
      id: st.key.id, fingerprint: st.key.fingerprint, publicKey: Buffer.from(st.key.publicKey).toString('hex'), threshold: st.key.threshold,
      holders: st.key.holders.map(who), createdAt: iso(st.key.createdAt),
    } : null,
    legacyMasterKeys: st.legacyMasterKeys,
    ceremony: cer ? {
      id: cer.ceremony.id, kind: cer.ceremony.kind, state: cer.ceremony.state, threshold: cer.ceremony.threshold,
      holders: cer.ceremony.holders.map((id) => ({ ...who(id), registered: cer.registered.includes(id), unlocked: cer.unlocked.includes(id) })),
      startedBy: who(cer.ceremony.startedBy), startedAt: iso(cer.ceremony.startedAt), currentHoldersUnlocked: cer.unlocked.length,
    } : null,
    me: {
      holder: st.key?.holders.includes(me) ?? false, named: cer?.ceremony.holders.includes(me) ?? false,
      registered: cer?.registered.includes(me) ?? false, unlocked: cer?.unlocked.includes(me) ?? false,
    },
  }
}

/** Every refusal here is a logged-in person's act on the key: logged (never with a passphrase). */
function refused(c: Ctx, e: KeyRefusal, action: string): Response {
  return refuse(c, e.code, action, {}, { type: 'key_ceremony', id: 'current' }, e)
}

/** Key ceremonies of the split paper key (docs/decisions/008-split-master-key.md). */
export function keyCeremonyRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  const k = (c: Ctx) => c.var.services.keyCeremonies

  defineRoute(app, table, {
    method: 'get', path: '/api/keys/paper-key', access: READ, tags: ['keys'],
    summary: 'The paper key: its public key fingerprint, k, the share holders, and the open key ceremony',
    responses: { 200: json(StateSchema, 'State'), ...errors(401, 403) },
  }, (c) => c.json(stateJson(c, k(c).state()), 200))

  defineRoute(app, table, {
    method: 'post', path: '/api/keys/ceremonies', access: ADMIN, tags: ['keys'],
    summary: 'Start a key ceremony: name the share holders (active custodians) and k',
    description: 'The first ceremony makes the key pair and converts a plain master key; a later one re-deals the same key to new ' +
      'holders and needs k current holders to unlock their shares. Each named holder sets their own share passphrase with their own login.',
    request: jsonBody(z.strictObject({ holders: z.array(z.string().min(1).max(64)).min(2).max(10), threshold: z.number().int().min(2).max(10) })),
    responses: { 201: json(StateSchema, 'Started'), ...errors(400, 401, 403, 409) },
  }, (c) => {
    const r = k(c).start(actor(c), input<{ holders: string[]; threshold: number }>(c, 'json'))
    return r.ok ? c.json(stateJson(c, k(c).state()), 201) : refused(c, r.error, 'keys.ceremony.start')
  })

  defineRoute(app, table, {
    method: 'post', path: '/api/keys/ceremonies/current/register', access: CUSTODIAN, tags: ['keys'],
    summary: 'Set my share passphrase for the open key ceremony (not my login password; nobody can reset it)',
    request: jsonBody(z.strictObject({ passphrase: Passphrase })),
    responses: { 200: json(StateSchema, 'Registered'), ...errors(400, 401, 403, 409) },
  }, async (c) => {
    const r = await k(c).register(actor(c), input<{ passphrase: string }>(c, 'json').passphrase)
    return r.ok ? c.json(stateJson(c, k(c).state()), 200) : refused(c, r.error, 'keys.ceremony.register')
  })

  defineRoute(app, table, {
    method: 'post', path: '/api/keys/ceremonies/current/unlock', access: CUSTODIAN, tags: ['keys'],
    summary: 'Re-deal: unlock my current share for the open key ceremony (k current holders are needed)',
    request: jsonBody(z.strictObject({ passphrase: Passphrase })),
    responses: { 200: json(StateSchema, 'Unlocked'), ...errors(400, 401, 403, 409) },
  }, async (c) => {
    const r = await k(c).contribute(actor(c), input<{ passphrase: string }>(c, 'json').passphrase)
    return r.ok ? c.json(stateJson(c, k(c).state()), 200) : refused(c, r.error, 'keys.ceremony.unlock')
  })

  defineRoute(app, table, {
    method: 'post', path: '/api/keys/ceremonies/current/cancel', access: ADMIN, tags: ['keys'],
    summary: 'Cancel the open key ceremony (the current shares stay as they are)',
    responses: { 200: json(StateSchema, 'Cancelled'), ...errors(401, 403, 409) },
  }, (c) => {
    const r = k(c).cancel(actor(c))
    return r.ok ? c.json(stateJson(c, k(c).state()), 200) : refused(c, r.error, 'keys.ceremony.cancel')
  })
}
