import { describe, expect, test } from 'vitest'
import { KeyRotationError, checkKeyRotation, formatVkey, keyRotationData, rotationStatement } from '../audit/index.ts'
import { ed25519, sha256, toBase64, utf8 } from '../crypto/index.ts'

const key = (label: string) => {
  const privateKey = sha256(utf8(label))
  return { name: 'custody.example/log', privateKey, vkey: formatVkey('custody.example/log', ed25519.publicKey(privateKey)) }
}
const OLD = key('rotation test old')
const NEW = key('rotation test new')
const OTHER = key('rotation test other')

const data = (index = 12) => keyRotationData({ index, old: OLD, new: NEW })

function code(f: () => unknown): string {
  try {
    f()
  } catch (err) {
    if (err instanceof KeyRotationError) return err.code
    throw err
  }
  return 'ok'
}

test('the statement names both keys and the entry index, one per line', () => {
  expect(rotationStatement(OLD.vkey, NEW.vkey, 12)).toBe(`custody key rotation\n${OLD.vkey}\n${NEW.vkey}\n12\n`)
  expect(data()).toMatchObject({ old: OLD.vkey, new: NEW.vkey, statement: rotationStatement(OLD.vkey, NEW.vkey, 12) })
})

test('a rotation signed by both keys is accepted and names the keys', () => {
  const r = checkKeyRotation(data(), 12)
  expect([r.old.text, r.new.text]).toEqual([OLD.vkey, NEW.vkey])
})

describe('a rotation is refused (key.rotation_invalid) when', () => {
  const sign = (k: { privateKey: Uint8Array }, index = 12) => toBase64(ed25519.sign(k.privateKey, utf8(rotationStatement(OLD.vkey, NEW.vkey, index))))
  test.each([
    [
      'the new key did not sign',
      () => {
        const { newSig: _, ...d } = data()
        return d
      },
    ],
    [
      'the old key did not sign',
      () => {
        const { oldSig: _, ...d } = data()
        return d
      },
    ],
    ['another key signed for the new one', () => ({ ...data(), newSig: sign(OTHER) })],
    ['another key signed for the old one', () => ({ ...data(), oldSig: sign(OTHER) })],
    ['the signatures are swapped', () => ({ ...data(), oldSig: data().newSig, newSig: data().oldSig })],
    ['it is replayed at another index', () => data(11)],
    ['the statement differs from the keys', () => ({ ...data(), new: OTHER.vkey })],
    ['old and new are the same key', () => keyRotationData({ index: 12, old: OLD, new: OLD })],
    ['a vkey does not parse', () => ({ ...data(), old: 'not a vkey' })],
    ['a signature is not base64', () => ({ ...data(), newSig: '!!' })],
    ['there is an extra field', () => ({ ...data(), note: 'x' })],
    ['data is not an object', () => 'rotation'],
  ])('%s', (_, make) => {
    expect(code(() => checkKeyRotation(make(), 12))).toBe('key.rotation_invalid')
  })
})
