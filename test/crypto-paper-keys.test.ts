// crypto/_paper-keys.ts: per-file data keys wrapped under master keys (R5.1), and master key
// rotation by re-wrapping, which leaves every paper's ciphertext byte for byte as it was.
import { describe, expect, test } from 'vitest'
import { gcm } from '@noble/ciphers/aes.js'
import {
  type MasterKey,
  PaperCryptoError,
  concatBytes,
  decryptStream,
  encryptStream,
  equalBytes,
  generateDataKey,
  generateMasterKey,
  masterKeyIdOf,
  rewrapKey,
  toHex,
  unwrapKey,
  utf8,
  wrapKey,
} from '../crypto/index.ts'

const DATA_KEY = Uint8Array.from({ length: 32 }, (_, i) => 0x40 + i)
const MASTER: MasterKey = { id: 'master-2026-03', key: Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i) }
const NONCE = Uint8Array.from({ length: 12 }, (_, i) => 0xc0 + i)

function code(f: () => unknown): string {
  try {
    f()
  } catch (err) {
    if (err instanceof PaperCryptoError) return err.code
    throw err
  }
  return 'accepted'
}

describe('wrapped data keys', () => {
  test('a fixed master key and nonce give the pinned wrapped key (known answer), 71 + id bytes', () => {
    const wrapped = wrapKey(DATA_KEY, MASTER, { context: 'paper-0001', random: () => NONCE.slice() })
    expect(wrapped.length).toBe(71 + 14)
    expect(toHex(wrapped)).toBe(
      '435553544f44594b' +
        '01' +
        '01' +
        '0e' +
        toHex(utf8('master-2026-03')) + // magic, version, algorithm, id
        'c0c1c2c3c4c5c6c7c8c9cacb' + // nonce
        '247dc2c1f8e8a5844a667d040eec7e7f79905812b655a40271b7f6e6738a33dc' +
        '0bbbafa6a95292e1d20f957498e790a5',
    ) // sealed key, tag
  })

  test('the documented layout opens with noble’s GCM: ad = magic..id || context', () => {
    const wrapped = wrapKey(DATA_KEY, MASTER, { context: 'paper-0001' })
    const m = wrapped[10]!
    const ad = concatBytes(wrapped.subarray(0, 11 + m), utf8('paper-0001'))
    const opened = gcm(MASTER.key, wrapped.subarray(11 + m, 23 + m), ad).decrypt(wrapped.subarray(23 + m))
    expect(toHex(opened)).toBe(toHex(DATA_KEY))
  })

  test('wraps and unwraps; the wrapped key names its master key; nonces are fresh each time', () => {
    const a = wrapKey(DATA_KEY, MASTER, { context: 'paper-0001' })
    const b = wrapKey(DATA_KEY, MASTER, { context: 'paper-0001' })
    expect(toHex(a)).not.toBe(toHex(b))
    expect(masterKeyIdOf(a)).toBe('master-2026-03')
    expect(toHex(unwrapKey(a, MASTER, { context: 'paper-0001' }))).toBe(toHex(DATA_KEY))
    expect(toHex(unwrapKey(b, [generateMasterKey('other'), MASTER], { context: 'paper-0001' }))).toBe(toHex(DATA_KEY))
  })

  test('a wrapped key moved to another file does not unwrap (key.unwrap_failed)', () => {
    const wrapped = wrapKey(DATA_KEY, MASTER, { context: 'paper-0001' })
    expect(code(() => unwrapKey(wrapped, MASTER, { context: 'paper-0002' }))).toBe('key.unwrap_failed')
  })

  test('other key bytes under the same id are key.unwrap_failed; an id not supplied is key.unknown_master', () => {
    const wrapped = wrapKey(DATA_KEY, MASTER, { context: 'paper-0001' })
    const impostor = { id: MASTER.id, key: generateDataKey() }
    expect(code(() => unwrapKey(wrapped, impostor, { context: 'paper-0001' }))).toBe('key.unwrap_failed')
    expect(code(() => unwrapKey(wrapped, [generateMasterKey('master-2025-09')], { context: 'paper-0001' }))).toBe('key.unknown_master')
    expect(code(() => unwrapKey(wrapped, [], { context: 'paper-0001' }))).toBe('key.unknown_master')
  })

  test('relabelling a wrapped key with another master key id of the ring does not unwrap (the id is bound)', () => {
    const other: MasterKey = { id: 'master-2026-04', key: MASTER.key } // same bytes, other name: the label alone must not pass
    const wrapped = wrapKey(DATA_KEY, MASTER, { context: 'paper-0001' })
    const relabelled = wrapped.slice()
    relabelled.set(utf8('master-2026-04'), 11)
    expect(masterKeyIdOf(relabelled)).toBe('master-2026-04')
    expect(code(() => unwrapKey(relabelled, [MASTER, other], { context: 'paper-0001' }))).toBe('key.unwrap_failed')
  })

  test('every flipped byte is refused: header bytes as key.bad_format, id as unknown, nonce and key as unwrap_failed', () => {
    const wrapped = wrapKey(DATA_KEY, MASTER, { context: 'paper-0001' })
    for (let i = 0; i < wrapped.length; i++) {
      const bad = wrapped.slice()
      bad[i]! ^= 0x01
      const expected = i < 11 ? 'key.bad_format' : i < 25 ? 'key.unknown_master' : 'key.unwrap_failed'
      expect(
        code(() => unwrapKey(bad, MASTER, { context: 'paper-0001' })),
        `byte ${i}`,
      ).toBe(expected)
    }
    expect(code(() => unwrapKey(wrapped.subarray(0, wrapped.length - 1), MASTER, { context: 'paper-0001' }))).toBe('key.bad_format')
    expect(code(() => unwrapKey(concatBytes(wrapped, Uint8Array.of(0)), MASTER, { context: 'paper-0001' }))).toBe('key.bad_format')
    expect(code(() => masterKeyIdOf(utf8('CUSTODYP')))).toBe('key.bad_format')
  })

  test('refuses bad arguments, naming them', () => {
    expect(() => wrapKey(new Uint8Array(31), MASTER, { context: 'p' })).toThrow('"dataKey" expected 32 bytes, got 31')
    expect(() => wrapKey(DATA_KEY, { id: 'm', key: new Uint8Array(16) }, { context: 'p' })).toThrow('"masterKey.key" expected 32 bytes, got 16')
    expect(() => wrapKey(DATA_KEY, { id: '', key: MASTER.key }, { context: 'p' })).toThrow('"masterKey.id" expected 1 to 255 UTF-8 bytes, got 0')
    expect(() => generateMasterKey('k'.repeat(256))).toThrow('"masterKey.id" expected 1 to 255 UTF-8 bytes, got 256')
    expect(() => wrapKey(DATA_KEY, MASTER, { context: '' })).toThrow('"context" expected a non-empty string (the file id)')
    expect(() => unwrapKey(wrapKey(DATA_KEY, MASTER, { context: 'p' }), MASTER, {} as { context: string })).toThrow('"context"')
  })

  test('generated data keys and master keys are 32 random bytes, different each time', () => {
    const keys = Array.from({ length: 50 }, () => toHex(generateDataKey()))
    expect(new Set(keys).size).toBe(50)
    expect(keys.every((k) => k.length === 64)).toBe(true)
    const m = generateMasterKey('master-2026-03')
    expect(m.id).toBe('master-2026-03')
    expect(m.key.length).toBe(32)
  })
})

describe('master key rotation', () => {
  async function encryptPaper(plain: Uint8Array, dataKey: Uint8Array): Promise<Uint8Array> {
    const out: Uint8Array[] = []
    for await (const c of encryptStream([plain], dataKey, { chunkSize: 256 })) out.push(c)
    return concatBytes(...out)
  }
  async function decryptPaper(ct: Uint8Array, dataKey: Uint8Array): Promise<Uint8Array> {
    const out: Uint8Array[] = []
    for await (const c of decryptStream([ct], dataKey)) out.push(c)
    return concatBytes(...out)
  }

  test('re-wrapping every data key under a new master key leaves the papers untouched and readable without the old key', async () => {
    const oldMaster = generateMasterKey('master-2026-03')
    const newMaster = generateMasterKey('master-2026-09')
    const rows = await Promise.all(
      Array.from({ length: 5 }, async (_, i) => {
        const id = `paper-${i}`
        const plain = utf8(`试卷 ${i} `.repeat(100 * (i + 1)))
        const dataKey = generateDataKey()
        return { id, plain, ciphertext: await encryptPaper(plain, dataKey), wrapped: wrapKey(dataKey, oldMaster, { context: id }) }
      }),
    )
    const before = rows.map((r) => toHex(r.ciphertext))

    for (const r of rows) r.wrapped = rewrapKey(r.wrapped, [oldMaster], newMaster, { context: r.id })

    for (const [i, r] of rows.entries()) {
      expect(masterKeyIdOf(r.wrapped)).toBe('master-2026-09')
      expect(toHex(r.ciphertext)).toBe(before[i])
      // The old master key is gone from the ring: the papers still open.
      const dataKey = unwrapKey(r.wrapped, [newMaster], { context: r.id })
      expect(equalBytes(await decryptPaper(r.ciphertext, dataKey), r.plain)).toBe(true)
      expect(code(() => unwrapKey(r.wrapped, [oldMaster], { context: r.id }))).toBe('key.unknown_master')
    }
  })

  test('an interrupted rotation runs again: keys already under the new master are checked and kept as they are', () => {
    const oldMaster = generateMasterKey('master-2026-03')
    const newMaster = generateMasterKey('master-2026-09')
    const wrapped = wrapKey(DATA_KEY, oldMaster, { context: 'paper-0001' })
    const once = rewrapKey(wrapped, [oldMaster], newMaster, { context: 'paper-0001' })
    const twice = rewrapKey(once, [oldMaster], newMaster, { context: 'paper-0001' })
    expect(toHex(twice)).toBe(toHex(once))
    expect(code(() => rewrapKey(once, [oldMaster], newMaster, { context: 'paper-0002' }))).toBe('key.unwrap_failed')
  })

  test('a rotation refuses a key that does not unwrap (moved, or an old master key missing), and wraps nothing', () => {
    const oldMaster = generateMasterKey('master-2026-03')
    const newMaster = generateMasterKey('master-2026-09')
    const wrapped = wrapKey(DATA_KEY, oldMaster, { context: 'paper-0001' })
    expect(code(() => rewrapKey(wrapped, [oldMaster], newMaster, { context: 'paper-0002' }))).toBe('key.unwrap_failed')
    expect(code(() => rewrapKey(wrapped, [], newMaster, { context: 'paper-0001' }))).toBe('key.unknown_master')
  })
})
