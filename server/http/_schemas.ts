import { z } from '@hono/zod-openapi'
import { ROLES } from '../domain/accounts/index.ts'

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'auth.forbidden' }),
      message: z.string().openapi({ example: '您的角色无权执行此操作' }),
      messageEn: z.string().openapi({ example: 'Your role may not do this' }),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error')

export const RoleSchema = z.enum(ROLES).openapi('Role')

export const UserSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    roles: z.array(RoleSchema),
    disabled: z.boolean(),
    mustChangePassword: z.boolean().openapi({ description: 'the password was set by an administrator: the user chooses their own at next login' }),
    createdAt: z.string().openapi({ description: 'ISO 8601' }),
    updatedAt: z.string(),
  })
  .openapi('User')

/** A share passphrase (decision record 008): never logged, never echoed. */
export const Passphrase = z.string().min(1).max(1024)

export const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description })

/** The error responses every route may give, documented once. */
export const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, json(ErrorSchema, 'Refused: see error.code')]))

export const jsonBody = <T extends z.ZodType>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } })
