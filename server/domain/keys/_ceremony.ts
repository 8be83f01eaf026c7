/**
 * The split paper key (R5.1, R5.2; docs/decisions/008-split-master-key.md): who may hold a share, how a key
 * ceremony starts, when it is complete, and how many shares a print job needs. Plain rules over data.
 */
import type { Role } from '../accounts/index.ts'
import { type Result, ok, refuse } from '../_result.ts'

export interface ScryptCost {
  N: number
  r: number
  p: number
}

/** The paper public key; its private key exists only as `threshold`-of-n shares. */
export interface PaperKeyRecord {
  id: string
  publicKey: Uint8Array
  threshold: number
  createdAt: number
}

/** One holder's share of the current key, sealed to their passphrase key (derived from scrypt(passphrase, salt)). */
export interface HeldShare {
  keyId: string
  userId: string
  ceremonyId: string
  salt: Uint8Array
  kdf: ScryptCost
  holderKey: Uint8Array
  sealedShare: Uint8Array
  createdAt: number
}

export interface Ceremony {
  id: string
  /** 'initial': a new key pair (and the conversion of a plain master key); 'redeal': the same key, new holders. */
  kind: 'initial' | 'redeal'
  state: 'open' | 'completed' | 'cancelled'
  threshold: number
  holders: string[]
  keyId: string | null
  startedBy: string
  startedAt: number
  endedAt: number | null
}

/** A named holder's passphrase public key, registered with their own login. */
export interface CeremonyRegistration {
  ceremonyId: string
  userId: string
  salt: Uint8Array
  kdf: ScryptCost
  holderKey: Uint8Array
  registeredAt: number
}

/** A person as the rules need them. */
export interface KeyPerson {
  id: string
  roles: readonly Role[]
  disabled: boolean
}

export const MAX_HOLDERS = 10
export const DEFAULT_THRESHOLD = 2
/** The passphrase is not the login password and is at least this long (no administrator can reset it). */
export const MIN_PASSPHRASE = 12
/** Wrong share passphrases tolerated per holder in PASSPHRASE_WINDOW_MS before their share is locked for the rest of it. */
export const MAX_PASSPHRASE_FAILURES = 5
export const PASSPHRASE_WINDOW_MS = 15 * 60_000

export type KeyRefusal =
  | { code: 'keys.not_allowed_for_role'; action: string; userId: string; allowed: readonly Role[] }
  | { code: 'keys.ceremony_open'; ceremonyId: string }
  | { code: 'keys.no_ceremony' }
  | { code: 'keys.holders_invalid'; reason: 'count' | 'threshold' | 'duplicate' | 'not_custodian' | 'disabled' | 'admin' | 'unknown'; userId?: string }
  | { code: 'keys.not_named'; ceremonyId: string; userId: string }
  | { code: 'keys.already_registered'; ceremonyId: string; userId: string }
  | { code: 'keys.already_unlocked'; ceremonyId: string; userId: string }
  | { code: 'keys.no_key' }
  | { code: 'key_share.passphrase_weak'; minLength: number }
  | { code: 'key_share.passphrase_required' }
  | { code: 'key_share.same_as_password' }
  | { code: 'key_share.not_holder'; userId: string }
  | { code: 'key_share.holder_disabled'; userId: string }
  | { code: 'key_share.wrong_passphrase'; userId: string }
  | { code: 'key_share.locked'; userId: string; retryAfterSeconds: number }
  | { code: 'key_share.busy'; retryAfterSeconds: number }
  | { code: 'key_share.too_few'; have: number; need: number }

export type KeyCode = KeyRefusal['code']

/**
 * An administrator names the holders (active custodians, none an administrator: R5.2 separation of duties)
 * and k. A re-deal needs a key; an initial ceremony needs none. One ceremony at a time.
 */
export function checkCeremonyStart(
  actor: KeyPerson,
  cmd: { holders: readonly string[]; threshold: number },
  people: ReadonlyMap<string, KeyPerson>,
  ctx: { open: Ceremony | null },
): Result<null, KeyRefusal> {
  if (!actor.roles.includes('admin')) return refuse({ code: 'keys.not_allowed_for_role', action: 'keys.ceremony.start', userId: actor.id, allowed: ['admin'] })
  if (ctx.open) return refuse({ code: 'keys.ceremony_open', ceremonyId: ctx.open.id })
  const n = cmd.holders.length
  if (n < 2 || n > MAX_HOLDERS) return refuse({ code: 'keys.holders_invalid', reason: 'count' })
  if (new Set(cmd.holders).size !== n) return refuse({ code: 'keys.holders_invalid', reason: 'duplicate' })
  if (!Number.isSafeInteger(cmd.threshold) || cmd.threshold < 2 || cmd.threshold > n) return refuse({ code: 'keys.holders_invalid', reason: 'threshold' })
  for (const id of cmd.holders) {
    const p = people.get(id)
    if (!p) return refuse({ code: 'keys.holders_invalid', reason: 'unknown', userId: id })
    if (p.disabled) return refuse({ code: 'keys.holders_invalid', reason: 'disabled', userId: id })
    if (p.roles.includes('admin')) return refuse({ code: 'keys.holders_invalid', reason: 'admin', userId: id })
    if (!p.roles.includes('custodian')) return refuse({ code: 'keys.holders_invalid', reason: 'not_custodian', userId: id })
  }
  return ok(null)
}

/** A share counts only while its holder is an active custodian (a disabled account's share is refused). */
export function checkShareHolder(person: KeyPerson | null, userId: string, shares: readonly HeldShare[]): Result<HeldShare, KeyRefusal> {
  const share = shares.find((s) => s.userId === userId)
  if (!share) return refuse({ code: 'key_share.not_holder', userId })
  if (!person || person.disabled || !person.roles.includes('custodian') || person.roles.includes('admin'))
    return refuse({ code: 'key_share.holder_disabled', userId })
  return ok(share)
}

export function checkPassphrase(passphrase: string | undefined): Result<string, KeyRefusal> {
  if (passphrase === undefined || passphrase === '') return refuse({ code: 'key_share.passphrase_required' })
  if ([...passphrase.normalize('NFC')].length < MIN_PASSPHRASE) return refuse({ code: 'key_share.passphrase_weak', minLength: MIN_PASSPHRASE })
  return ok(passphrase)
}

/** Complete when every named holder registered and, for a re-deal, k current holders unlocked their shares. */
export function ceremonyReady(c: Ceremony, registered: readonly string[], unlocked: number, currentThreshold: number | null): boolean {
  if (!c.holders.every((h) => registered.includes(h))) return false
  return c.kind === 'initial' || (currentThreshold !== null && unlocked >= currentThreshold)
}
