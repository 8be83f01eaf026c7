import { z } from '@hono/zod-openapi'
import { ROLES } from '../../domain/accounts/index.ts'
import { route } from '../_route.ts'
import { RoleSchema, UserSchema, errors, json, jsonBody } from '../_schemas.ts'

const ADMIN = { roles: ['admin'] } as const
/** A second person for a two-person role change, and readers of the security record (decision 005). */
const ADMIN_OR_SUPERVISOR = { roles: ['admin', 'supervisor'] } as const
const IdParam = z.object({ id: z.string().min(1).max(64) })

export type Verdict = 'confirm' | 'reject'

const RoleChangeSchema = z
  .object({
    id: z.string(),
    userId: z.string(),
    username: z.string(),
    displayName: z.string(),
    fromRoles: z.array(RoleSchema),
    toRoles: z.array(RoleSchema),
    proposedBy: z.string(),
    proposedByName: z.string(),
    proposedAt: z.string(),
    state: z.enum(['pending', 'confirmed', 'rejected']),
  })
  .openapi('RoleChange')

const SecurityEventSchema = z
  .object({
    time: z.string(),
    kind: z.string(),
    username: z.string(),
    address: z.string(),
    outcome: z.string(),
  })
  .openapi('SecurityEvent')

export const roles = route({
  method: 'get',
  path: '/api/roles',
  access: 'authenticated',
  tags: ['users'],
  summary: 'The roles of the system with their names',
  responses: { 200: json(z.object({ roles: z.array(z.object({ id: RoleSchema, zh: z.string(), en: z.string() })) }), 'Roles'), ...errors(401) },
})

export const list = route({
  method: 'get',
  path: '/api/users',
  access: ADMIN,
  tags: ['users'],
  summary: 'List user accounts',
  responses: { 200: json(z.object({ users: z.array(UserSchema) }), 'Users'), ...errors(401, 403) },
})

export const create = route({
  method: 'post',
  path: '/api/users',
  access: ADMIN,
  tags: ['users'],
  summary: 'Create a user account',
  request: jsonBody(
    z.strictObject({
      username: z.string().min(1).max(64),
      displayName: z.string().trim().min(1).max(100),
      roles: z.array(z.string().max(32)).min(1).max(ROLES.length),
      password: z.string().max(256),
    }),
  ),
  responses: { 201: json(UserSchema, 'Created'), ...errors(400, 401, 403, 409) },
})

export const get = route({
  method: 'get',
  path: '/api/users/{id}',
  access: ADMIN,
  tags: ['users'],
  summary: 'One user account',
  request: { params: IdParam },
  responses: { 200: json(UserSchema, 'The user'), ...errors(401, 403, 404) },
})

export const update = route({
  method: 'patch',
  path: '/api/users/{id}',
  access: ADMIN,
  tags: ['users'],
  summary: 'Change display name, roles, or disable/enable an account (disabling ends its sessions)',
  request: {
    params: IdParam,
    ...jsonBody(
      z
        .strictObject({
          displayName: z.string().trim().min(1).max(100).optional(),
          roles: z.array(z.string().max(32)).min(1).max(ROLES.length).optional(),
          disabled: z.boolean().optional(),
        })
        .refine((b) => Object.keys(b).length > 0, 'name at least one field to change'),
    ),
  },
  responses: { 200: json(UserSchema, 'Updated'), ...errors(400, 401, 403, 404, 409) },
})

export const setPassword = route({
  method: 'put',
  path: '/api/users/{id}/password',
  access: ADMIN,
  tags: ['users'],
  summary: "Set a user's password (ends their sessions)",
  request: { params: IdParam, ...jsonBody(z.strictObject({ password: z.string().max(256) })) },
  responses: { 200: json(UserSchema, 'Password set'), ...errors(400, 401, 403, 404) },
})

export const roleChanges = route({
  method: 'get',
  path: '/api/role-changes',
  access: ADMIN_OR_SUPERVISOR,
  tags: ['users'],
  summary: 'Role changes awaiting a second person',
  responses: { 200: json(z.object({ roleChanges: z.array(RoleChangeSchema) }), 'Pending role changes'), ...errors(401, 403) },
})

export const proposeRoleChange = route({
  method: 'post',
  path: '/api/users/{id}/role-changes',
  access: ADMIN,
  tags: ['users'],
  summary: "Propose a new role set for someone else's account (a second person confirms; supervisors are alerted)",
  description: 'Needed whenever custodian or supervisor is granted or removed. Nobody proposes for their own account.',
  request: { params: IdParam, ...jsonBody(z.strictObject({ roles: z.array(z.string().max(32)).min(1).max(ROLES.length) })) },
  responses: { 201: json(RoleChangeSchema, 'Proposed'), ...errors(400, 401, 403, 404, 409) },
})

/** Confirming or rejecting a proposed role change: one route per verdict. */
export const decideRoleChange = (verdict: Verdict) =>
  route({
    method: 'post',
    path: `/api/role-changes/{id}/${verdict}`,
    access: ADMIN_OR_SUPERVISOR,
    tags: ['users'],
    summary:
      verdict === 'confirm'
        ? 'Confirm a role change as the second person (not its proposer, not its holder): the roles change now'
        : 'Reject a role change (or, as its proposer, withdraw it)',
    description:
      verdict === 'confirm'
        ? 'Granting administrator, custodian or supervisor needs the account holder present: holderPassword is the password they chose themself, typed in front of the second person.'
        : undefined,
    request: {
      params: IdParam,
      body: { content: { 'application/json': { schema: z.strictObject({ holderPassword: z.string().min(1).max(256).optional() }) } }, required: false },
    },
    responses: { 200: json(z.object({ roleChange: RoleChangeSchema, user: UserSchema }), 'Decided'), ...errors(400, 401, 403, 404, 409, 429, 503) },
  })

export const loginFailures = route({
  method: 'get',
  path: '/api/security/login-failures',
  access: ADMIN_OR_SUPERVISOR,
  tags: ['users'],
  summary: 'Failed and refused logins and witness checks (not custody events), newest first',
  request: {
    query: z.object({
      hours: z.coerce
        .number()
        .int()
        .min(1)
        .max(24 * 90)
        .default(24),
      limit: z.coerce.number().int().min(1).max(1000).default(200),
    }),
  },
  responses: { 200: json(z.object({ events: z.array(SecurityEventSchema) }), 'Security events'), ...errors(400, 401, 403) },
})
