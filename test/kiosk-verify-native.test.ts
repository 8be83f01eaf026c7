import { describe, expect, test } from 'vitest'
import { verifyDeviceSignature, verifyDeviceSignatureNoble } from '../server/services/kiosk-devices.ts'

const subtle = globalThis.crypto.subtle
const ECDSA = { name: 'ECDSA', hash: 'SHA-256' } as const
/** The order of the P-256 group. */
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n
const be32 = (x: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((x >> BigInt(8 * (31 - i))) & 0xffn))

describe('device signatures: the native check and noble agree', () => {
  test('WebCrypto signatures (high and low S) verify both ways; a changed message, signature or key fails both ways', async () => {
    const pair = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair
    const other = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair
    const pub = new Uint8Array(await subtle.exportKey('raw', pair.publicKey))
    const otherPub = new Uint8Array(await subtle.exportKey('raw', other.publicKey))
    let high = 0
    for (let i = 0; i < 24; i++) {
      const m = new TextEncoder().encode(`custody/kiosk-record/v1\n{"n":${i}}`)
      const sig = new Uint8Array(await subtle.sign(ECDSA, pair.privateKey, m))
      let s = 0n
      for (const b of sig.slice(32)) s = (s << 8n) | BigInt(b)
      if (s > N / 2n) high++
      expect([verifyDeviceSignature(pub, m, sig), verifyDeviceSignatureNoble(pub, m, sig)]).toEqual([true, true])
      // The same signature with S negated (n − s) is as valid: accepted both ways.
      const flipped = new Uint8Array([...sig.slice(0, 32), ...be32(N - s)])
      expect([verifyDeviceSignature(pub, m, flipped), verifyDeviceSignatureNoble(pub, m, flipped)]).toEqual([true, true])
      const changed = m.slice()
      changed[3]! ^= 1
      const bad = sig.slice()
      bad[40]! ^= 1
      for (const [k, msg, sg] of [
        [pub, changed, sig],
        [pub, m, bad],
        [otherPub, m, sig],
      ] as const)
        expect([verifyDeviceSignature(k, msg, sg), verifyDeviceSignatureNoble(k, msg, sg)]).toEqual([false, false])
    }
    expect(high).toBeGreaterThan(0)
  })

  test('malformed signatures and keys are false both ways, never a throw', async () => {
    const pair = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair
    const pub = new Uint8Array(await subtle.exportKey('raw', pair.publicKey))
    const m = new TextEncoder().encode('x')
    const sig = new Uint8Array(await subtle.sign(ECDSA, pair.privateKey, m))
    const notAPoint = pub.slice()
    notAPoint[64]! ^= 1
    const cases: Array<[Uint8Array, Uint8Array]> = [
      [pub, new Uint8Array(64)], // r = s = 0
      [pub, new Uint8Array([...be32(N), ...sig.slice(32)])], // r = n
      [pub, new Uint8Array([...sig.slice(0, 32), ...be32(N)])], // s = n
      [pub, sig.slice(0, 63)],
      [pub, new Uint8Array([...sig, 0])],
      [notAPoint, sig],
      [pub.slice(0, 33), sig],
      [new Uint8Array(65), sig],
    ]
    for (const [k, s] of cases) expect([verifyDeviceSignature(k, m, s), verifyDeviceSignatureNoble(k, m, s)]).toEqual([false, false])
  })
})
