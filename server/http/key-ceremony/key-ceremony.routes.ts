import { z } from '@hono/zod-openapi'
import { route } from '../_route.ts'
import { errors, json, jsonBody, Passphrase } from '../_schemas.ts'

/** Who sees the state of the split key: the administrator who starts ceremonies, the custodians who hold it, supervisors. */
const READ = { roles: ['admin', 'custodian', 'supervisor'] } as const
const ADMIN = { roles: ['admin'] } as const
const CUSTODIAN = { roles: ['custodian'] } as const

const Holder = z.object({ userId: z.string(), displayName: z.string() })
const CeremonySchema = z
  .object({
    id: z.string(),
    kind: z.enum(['initial', 'redeal']),
    state: z.enum(['open', 'completed', 'cancelled']),
    threshold: z.number(),
    holders: z.array(Holder.extend({ registered: z.boolean(), unlocked: z.boolean() })),
    startedBy: Holder,
    startedAt: z.string(),
    currentHoldersUnlocked: z.number().openapi({ description: 'Re-deal: current holders who unlocked their shares so far (k needed)' }),
  })
  .openapi('KeyCeremony')
const StateSchema = z
  .object({
    key: z
      .object({
        id: z.string(),
        fingerprint: z.string().openapi({ description: 'SHA-256 of the X25519 public key, hex in groups of four' }),
        publicKey: z.string().openapi({ description: 'hex' }),
        threshold: z.number(),
        holders: z.array(Holder),
        createdAt: z.string(),
      })
      .nullable(),
    legacyMasterKeys: z.array(z.string()).openapi({ description: 'Plain master keys still in the data folder (converted and deleted by the first ceremony)' }),
    ceremony: CeremonySchema.nullable(),
    me: z.object({ holder: z.boolean(), named: z.boolean(), registered: z.boolean(), unlocked: z.boolean() }),
  })
  .openapi('PaperKeyState')

export const paperKey = route({
  method: 'get',
  path: '/api/keys/paper-key',
  access: READ,
  tags: ['keys'],
  summary: 'The paper key: its public key fingerprint, k, the share holders, and the open key ceremony',
  responses: { 200: json(StateSchema, 'State'), ...errors(401, 403) },
})

export const start = route({
  method: 'post',
  path: '/api/keys/ceremonies',
  access: ADMIN,
  tags: ['keys'],
  summary: 'Start a key ceremony: name the share holders (active custodians) and k',
  description:
    'The first ceremony makes the key pair and converts a plain master key; a later one re-deals the same key to new ' +
    'holders and needs k current holders to unlock their shares. Each named holder sets their own share passphrase with their own login.',
  request: jsonBody(z.strictObject({ holders: z.array(z.string().min(1).max(64)).min(2).max(10), threshold: z.number().int().min(2).max(10) })),
  responses: { 201: json(StateSchema, 'Started'), ...errors(400, 401, 403, 409) },
})

export const register = route({
  method: 'post',
  path: '/api/keys/ceremonies/current/register',
  access: CUSTODIAN,
  tags: ['keys'],
  summary: 'Set my share passphrase for the open key ceremony (not my login password; nobody can reset it)',
  request: jsonBody(z.strictObject({ passphrase: Passphrase })),
  responses: { 200: json(StateSchema, 'Registered'), ...errors(400, 401, 403, 409) },
})

export const contribute = route({
  method: 'post',
  path: '/api/keys/ceremonies/current/unlock',
  access: CUSTODIAN,
  tags: ['keys'],
  summary: 'Re-deal: unlock my current share for the open key ceremony (k current holders are needed)',
  request: jsonBody(z.strictObject({ passphrase: Passphrase })),
  responses: { 200: json(StateSchema, 'Unlocked'), ...errors(400, 401, 403, 409) },
})

export const cancel = route({
  method: 'post',
  path: '/api/keys/ceremonies/current/cancel',
  access: ADMIN,
  tags: ['keys'],
  summary: 'Cancel the open key ceremony (the current shares stay as they are)',
  responses: { 200: json(StateSchema, 'Cancelled'), ...errors(401, 403, 409) },
})
