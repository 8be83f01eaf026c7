import type { KeyRefusal } from '../../domain/keys/index.ts'
import { actorOf } from '../../services/index.ts'
import type { PaperKeyState } from '../../services/key-ceremony.ts'
import type { Person } from '../../services/index.ts'
import type { Ctx } from '../_context.ts'
import { type AppRouteHandler, refuse } from '../_route.ts'
import type * as routes from './key-ceremony.routes.ts'

const iso = (ms: number) => new Date(ms).toISOString()
const actor = (c: Ctx): Person => actorOf(c.var.principal!, c.var.actingRoles) as Person

function stateJson(c: Ctx, st: PaperKeyState) {
  const users = c.var.services.accounts
  const who = (id: string) => ({ userId: id, displayName: users.get(id)?.displayName ?? '—' })
  const me = c.var.principal!.userId
  const cer = st.ceremony
  return {
    key: st.key
      ? {
          id: st.key.id,
          fingerprint: st.key.fingerprint,
          publicKey: Buffer.from(st.key.publicKey).toString('hex'),
          threshold: st.key.threshold,
          holders: st.key.holders.map(who),
          createdAt: iso(st.key.createdAt),
        }
      : null,
    legacyMasterKeys: st.legacyMasterKeys,
    ceremony: cer
      ? {
          id: cer.ceremony.id,
          kind: cer.ceremony.kind,
          state: cer.ceremony.state,
          threshold: cer.ceremony.threshold,
          holders: cer.ceremony.holders.map((id) => ({ ...who(id), registered: cer.registered.includes(id), unlocked: cer.unlocked.includes(id) })),
          startedBy: who(cer.ceremony.startedBy),
          startedAt: iso(cer.ceremony.startedAt),
          currentHoldersUnlocked: cer.unlocked.length,
        }
      : null,
    me: {
      holder: st.key?.holders.includes(me) ?? false,
      named: cer?.ceremony.holders.includes(me) ?? false,
      registered: cer?.registered.includes(me) ?? false,
      unlocked: cer?.unlocked.includes(me) ?? false,
    },
  }
}

/** Every refusal here is a logged-in person's act on the key: logged (never with a passphrase). */
function refused(c: Ctx, e: KeyRefusal, action: string): Response {
  return refuse(c, e.code, action, {}, { type: 'key_ceremony', id: 'current' }, e)
}

const k = (c: Ctx) => c.var.services.keyCeremonies

export const paperKey: AppRouteHandler<typeof routes.paperKey> = (c) => c.json(stateJson(c, k(c).state()), 200)

export const start: AppRouteHandler<typeof routes.start> = (c) => {
  const r = k(c).start(actor(c), c.req.valid('json'))
  return r.ok ? c.json(stateJson(c, k(c).state()), 201) : refused(c, r.error, 'keys.ceremony.start')
}

export const register: AppRouteHandler<typeof routes.register> = async (c) => {
  const r = await k(c).register(actor(c), c.req.valid('json').passphrase)
  return r.ok ? c.json(stateJson(c, k(c).state()), 200) : refused(c, r.error, 'keys.ceremony.register')
}

export const contribute: AppRouteHandler<typeof routes.contribute> = async (c) => {
  const r = await k(c).contribute(actor(c), c.req.valid('json').passphrase)
  return r.ok ? c.json(stateJson(c, k(c).state()), 200) : refused(c, r.error, 'keys.ceremony.unlock')
}

export const cancel: AppRouteHandler<typeof routes.cancel> = (c) => {
  const r = k(c).cancel(actor(c))
  return r.ok ? c.json(stateJson(c, k(c).state()), 200) : refused(c, r.error, 'keys.ceremony.cancel')
}
