// server/domain/keys: who may hold a share of the paper key, how a ceremony starts and when it completes
// (R5.1, R5.2; docs/decisions/008-split-master-key.md).
import { describe, expect, test } from 'vitest'
import {
  type Ceremony,
  type HeldShare,
  type KeyPerson,
  ceremonyReady,
  checkCeremonyStart,
  checkPassphrase,
  checkShareHolder,
} from '../server/domain/keys/index.ts'

const person = (id: string, roles: KeyPerson['roles'], disabled = false): KeyPerson => ({ id, roles, disabled })
const admin = person('a', ['admin'])
const people = new Map([
  ['c1', person('c1', ['custodian'])],
  ['c2', person('c2', ['custodian'])],
  ['c3', person('c3', ['custodian'])],
  ['off', person('off', ['custodian'], true)],
  ['both', person('both', ['custodian', 'admin'])],
  ['sup', person('sup', ['supervisor'])],
])
const codeOf = (r: { ok: boolean; error?: unknown }) =>
  r.ok ? 'ok' : ((r.error as { code: string; reason?: string }).reason ?? (r.error as { code: string }).code)
const ceremony = (kind: Ceremony['kind'], holders: string[]): Ceremony => ({
  id: 'k1',
  kind,
  state: 'open',
  threshold: 2,
  holders,
  keyId: null,
  startedBy: 'a',
  startedAt: 0,
  endedAt: null,
})
const share = (userId: string): HeldShare => ({
  keyId: 'pk',
  userId,
  ceremonyId: 'k1',
  salt: new Uint8Array(16),
  kdf: { N: 16, r: 8, p: 1 },
  holderKey: new Uint8Array(32),
  sealedShare: new Uint8Array(81),
  createdAt: 0,
})

describe('starting a key ceremony', () => {
  test('an administrator names 2–10 distinct active custodians who are not administrators, with 2 <= k <= n', () => {
    const start = (holders: string[], threshold = 2, actor = admin, open: Ceremony | null = null) =>
      codeOf(checkCeremonyStart(actor, { holders, threshold }, people, { open }))
    expect(start(['c1', 'c2', 'c3'])).toBe('ok')
    expect(start(['c1', 'c2', 'c3'], 3)).toBe('ok')
    expect(start(['c1', 'c2'], 2, person('c1', ['custodian']))).toBe('keys.not_allowed_for_role')
    expect(start(['c1'])).toBe('count')
    expect(start(['c1', 'c1'])).toBe('duplicate')
    expect(start(['c1', 'c2'], 1)).toBe('threshold')
    expect(start(['c1', 'c2'], 3)).toBe('threshold')
    expect(start(['c1', 'nobody'])).toBe('unknown')
    expect(start(['c1', 'off'])).toBe('disabled')
    expect(start(['c1', 'both'])).toBe('admin') // an administrator never holds a share (R5.2, separation of duties)
    expect(start(['c1', 'sup'])).toBe('not_custodian')
    expect(start(['c1', 'c2'], 2, admin, ceremony('initial', ['c1', 'c2']))).toBe('keys.ceremony_open')
  })
})

describe('shares and passphrases', () => {
  test('a share counts only while its holder is an active custodian and not an administrator', () => {
    const shares = [share('c1'), share('off'), share('both')]
    expect(codeOf(checkShareHolder(people.get('c1')!, 'c1', shares))).toBe('ok')
    expect(codeOf(checkShareHolder(people.get('c2')!, 'c2', shares))).toBe('key_share.not_holder')
    expect(codeOf(checkShareHolder(people.get('off')!, 'off', shares))).toBe('key_share.holder_disabled')
    expect(codeOf(checkShareHolder(people.get('both')!, 'both', shares))).toBe('key_share.holder_disabled')
    expect(codeOf(checkShareHolder(null, 'c1', shares))).toBe('key_share.holder_disabled')
  })

  test('a passphrase is required and has at least 12 characters (counted as code points)', () => {
    expect(codeOf(checkPassphrase(undefined))).toBe('key_share.passphrase_required')
    expect(codeOf(checkPassphrase(''))).toBe('key_share.passphrase_required')
    expect(codeOf(checkPassphrase('eleven char'))).toBe('key_share.passphrase_weak')
    expect(codeOf(checkPassphrase('twelve chars'))).toBe('ok')
    expect(codeOf(checkPassphrase('密钥份额口令十二个字符号'))).toBe('ok')
  })

  test('a ceremony completes when every named holder registered, and a re-deal also needs k current shares', () => {
    expect(ceremonyReady(ceremony('initial', ['c1', 'c2']), ['c1'], 0, null)).toBe(false)
    expect(ceremonyReady(ceremony('initial', ['c1', 'c2']), ['c2', 'c1'], 0, null)).toBe(true)
    expect(ceremonyReady(ceremony('redeal', ['c1', 'c2']), ['c1', 'c2'], 1, 2)).toBe(false)
    expect(ceremonyReady(ceremony('redeal', ['c1', 'c2']), ['c1', 'c2'], 2, 2)).toBe(true)
  })
})
