// crypto/_hpke.ts, crypto/_key-shares.ts and the version 2 wrapped key of crypto/_paper-keys.ts: data keys
// sealed to the paper public key (RFC 9180), whose private key exists only as k-of-n shares, each sealed to its
// holder's passphrase key (docs/decisions/008-split-master-key.md).
import { describe, expect, test } from 'vitest'
import { Aes128Gcm, Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core'
import {
  PaperCryptoError,
  combineShares,
  concatBytes,
  fromHex,
  generateMasterKey,
  hpkeFingerprint,
  hpkeKeyId,
  hpkeKeyPairFromSeed,
  hpkeOpen,
  hpkeSeal,
  masterKeyIdOf,
  openShare,
  passphraseKeyPair,
  rewrapToPublic,
  sealShare,
  splitSecret,
  toHex,
  unwrapKey,
  unwrapKeyWithPrivate,
  utf8,
  wrapKey,
  wrapKeyToPublic,
  wrappedKeyVersion,
} from '../crypto/index.ts'

// RFC 9180 Appendix A.1.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode.
const A1 = {
  info: '4f6465206f6e2061204772656369616e2055726e',
  ikmR: '6db9df30aa07dd42ee5e8181afdb977e538f5e1fec8a06223f33f7013e525037',
  pkRm: '3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d',
  skRm: '4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8',
  ikmE: '7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234',
  enc: '37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431',
  aad: '436f756e742d30',
  pt: '4265617574792069732074727574682c20747275746820626561757479',
  ct: 'f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a',
}
const DATA_KEY = Uint8Array.from({ length: 32 }, (_, i) => 0x40 + i)
const TEST_COST = { N: 2 ** 4, r: 8, p: 1 }
const salt = (b: number) => new Uint8Array(16).fill(b)

async function code(f: () => Promise<unknown>): Promise<string> {
  try {
    await f()
  } catch (err) {
    if (err instanceof PaperCryptoError) return err.code
    throw err
  }
  return 'accepted'
}

describe('HPKE, RFC 9180 (hpke-js)', () => {
  test('the package meets RFC 9180 A.1.1: DeriveKeyPair(ikmR), and the sealed message opens and seals to the vector bytes', async () => {
    const suite = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes128Gcm() })
    const r = await suite.kem.deriveKeyPair(fromHex(A1.ikmR))
    expect(toHex(new Uint8Array(await suite.kem.serializePublicKey(r.publicKey)))).toBe(A1.pkRm)
    const pt = await suite.open({ recipientKey: r, enc: fromHex(A1.enc), info: fromHex(A1.info) }, fromHex(A1.ct), fromHex(A1.aad))
    expect(toHex(new Uint8Array(pt))).toBe(A1.pt)
    const sender = await suite.createSenderContext({
      recipientPublicKey: r.publicKey,
      info: fromHex(A1.info),
      ekm: await suite.kem.deriveKeyPair(fromHex(A1.ikmE)),
    })
    expect(toHex(new Uint8Array(sender.enc))).toBe(A1.enc)
    expect(toHex(new Uint8Array(await sender.seal(fromHex(A1.pt), fromHex(A1.aad))))).toBe(A1.ct)
  })

  test('our key pair from a seed is RFC 9180 DeriveKeyPair (A.1.1 skRm, pkRm)', async () => {
    const kp = await hpkeKeyPairFromSeed(fromHex(A1.ikmR))
    expect(toHex(kp.publicKey)).toBe(A1.pkRm)
    expect(toHex(kp.privateKey)).toBe(A1.skRm)
    expect(hpkeKeyId(kp.publicKey)).toMatch(/^pk-[0-9a-f]{16}$/)
    expect(hpkeFingerprint(kp.publicKey)).toMatch(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/)
  })

  test('seal/open round trip with AES-256-GCM; another info, aad, key or a flipped bit does not open', async () => {
    const kp = await hpkeKeyPairFromSeed(fromHex(A1.ikmR))
    const other = await hpkeKeyPairFromSeed(fromHex(A1.ikmE))
    const b = { info: utf8('i'), aad: utf8('a') }
    const sealed = await hpkeSeal(kp.publicKey, DATA_KEY, b)
    expect(sealed.length).toBe(32 + 32 + 16)
    expect(toHex((await hpkeOpen(kp.privateKey, sealed, b))!)).toBe(toHex(DATA_KEY))
    expect(await hpkeOpen(other.privateKey, sealed, b)).toBeNull()
    expect(await hpkeOpen(kp.privateKey, sealed, { ...b, info: utf8('j') })).toBeNull()
    expect(await hpkeOpen(kp.privateKey, sealed, { ...b, aad: utf8('b') })).toBeNull()
    const flipped = sealed.slice()
    flipped[40]! ^= 1
    expect(await hpkeOpen(kp.privateKey, flipped, b)).toBeNull()
    expect(await hpkeOpen(kp.privateKey, sealed.subarray(0, 47), b)).toBeNull()
    await expect(hpkeSeal(new Uint8Array(31), DATA_KEY, b)).rejects.toThrow('"publicKey" expected 32 bytes, got 31')
  })
})

describe('data keys wrapped to the paper public key (version 2)', () => {
  test('a fixed recipient and ephemeral seed give the pinned wrapped key (known answer), 91 + id bytes', async () => {
    const kp = await hpkeKeyPairFromSeed(fromHex(A1.ikmR))
    const id = hpkeKeyId(kp.publicKey)
    expect(id).toBe('pk-8b228cd75ab70bad')
    const wrapped = await wrapKeyToPublic(DATA_KEY, { id, publicKey: kp.publicKey }, { context: 'paper-0001', ephemeralSeed: fromHex(A1.ikmE) })
    expect(wrapped.length).toBe(91 + 19)
    expect(toHex(wrapped)).toBe(
      '435553544f44594b' +
        '02' +
        '02' +
        '13' +
        toHex(utf8(id)) + // magic, version 2, HPKE, id
        A1.enc + // enc: the A.1 ephemeral key
        'b074503f0b8d3e8d43d4b9d6e53f85e8dbd7c748ea3dd8fe0893c058b3b437e1' +
        '3154061a00a95cbc8c104f3e95b9eac2',
    ) // sealed key, tag
  })

  test('the documented layout opens with hpke-js directly: info "custody/paper-key/v2", aad = magic..id || context', async () => {
    const kp = await hpkeKeyPairFromSeed(fromHex(A1.ikmR))
    const wrapped = await wrapKeyToPublic(DATA_KEY, { id: 'pk-x', publicKey: kp.publicKey }, { context: 'paper-0001' })
    const m = wrapped[10]!
    const suite = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes256Gcm() })
    const opened = await suite.open(
      { recipientKey: await suite.kem.deserializePrivateKey(kp.privateKey), enc: wrapped.subarray(11 + m, 43 + m), info: utf8('custody/paper-key/v2') },
      wrapped.subarray(43 + m),
      concatBytes(wrapped.subarray(0, 11 + m), utf8('paper-0001')),
    )
    expect(toHex(new Uint8Array(opened))).toBe(toHex(DATA_KEY))
  })

  test('unwraps only with the private key, for its own file and key id; the plain-master path refuses it', async () => {
    const kp = await hpkeKeyPairFromSeed(fromHex(A1.ikmR))
    const other = await hpkeKeyPairFromSeed(fromHex(A1.ikmE))
    const key = { id: hpkeKeyId(kp.publicKey), publicKey: kp.publicKey }
    const wrapped = await wrapKeyToPublic(DATA_KEY, key, { context: 'paper-0001' })
    expect(wrappedKeyVersion(wrapped)).toBe(2)
    expect(masterKeyIdOf(wrapped)).toBe(key.id)
    expect(toHex(await unwrapKeyWithPrivate(wrapped, { id: key.id, privateKey: kp.privateKey }, { context: 'paper-0001' }))).toBe(toHex(DATA_KEY))
    expect(await code(() => unwrapKeyWithPrivate(wrapped, { id: key.id, privateKey: kp.privateKey }, { context: 'paper-0002' }))).toBe('key.unwrap_failed')
    expect(await code(() => unwrapKeyWithPrivate(wrapped, { id: key.id, privateKey: other.privateKey }, { context: 'paper-0001' }))).toBe('key.unwrap_failed')
    expect(await code(() => unwrapKeyWithPrivate(wrapped, { id: 'pk-other', privateKey: kp.privateKey }, { context: 'paper-0001' }))).toBe('key.unknown_master')
    const relabelled = wrapped.slice()
    relabelled[11]! ^= 0x20 // 'p' -> 'P': the key id is authenticated
    expect(await code(() => unwrapKeyWithPrivate(relabelled, { id: masterKeyIdOf(relabelled), privateKey: kp.privateKey }, { context: 'paper-0001' }))).toBe(
      'key.unwrap_failed',
    )
    expect(await code(async () => unwrapKey(wrapped, [generateMasterKey(key.id)], { context: 'paper-0001' }))).toBe('key.unknown_master')
    expect(await code(async () => masterKeyIdOf(wrapped.subarray(0, wrapped.length - 1)))).toBe('key.bad_format')
  })

  test('a plain-master (version 1) key is converted to the public key without touching the data key', async () => {
    const master = generateMasterKey('mk-old')
    const kp = await hpkeKeyPairFromSeed(fromHex(A1.ikmR))
    const key = { id: hpkeKeyId(kp.publicKey), publicKey: kp.publicKey }
    const v1 = wrapKey(DATA_KEY, master, { context: 'f1' })
    const v2 = await rewrapToPublic(v1, [master], key, { context: 'f1' })
    expect([wrappedKeyVersion(v1), wrappedKeyVersion(v2)]).toEqual([1, 2])
    expect(toHex(await unwrapKeyWithPrivate(v2, { id: key.id, privateKey: kp.privateKey }, { context: 'f1' }))).toBe(toHex(DATA_KEY))
    expect(toHex(await rewrapToPublic(v2, [], key, { context: 'f1' }))).toBe(toHex(v2)) // already converted: unchanged
  })
})

describe('the private key as k-of-n shares, each sealed to a passphrase key', () => {
  test('any k of n shares rebuild the secret; k−1 do not', async () => {
    const secret = fromHex(A1.ikmR)
    const shares = await splitSecret(secret, 3, 2)
    expect(shares.map((s) => s.length)).toEqual([33, 33, 33])
    for (const pair of [
      [0, 1],
      [0, 2],
      [1, 2],
    ])
      expect(toHex(await combineShares(pair.map((i) => shares[i]!)))).toBe(A1.ikmR)
    await expect(combineShares([shares[0]!])).rejects.toThrow(RangeError)
    const three = await splitSecret(secret, 4, 3)
    expect(toHex(await combineShares([three[0]!, three[1]!]))).not.toBe(A1.ikmR) // 2 of a 3-of-4: unrelated bytes
    expect(toHex(await combineShares([three[0]!, three[1]!, three[3]!]))).toBe(A1.ikmR)
    await expect(splitSecret(secret, 3, 1)).rejects.toThrow(RangeError)
    await expect(splitSecret(secret, 2, 3)).rejects.toThrow(RangeError)
  })

  test('a passphrase and its salt always give the same key pair; another passphrase or salt another', async () => {
    const a = await passphraseKeyPair('keeper one share phrase', salt(1), TEST_COST)
    expect(toHex((await passphraseKeyPair('keeper one share phrase', salt(1), TEST_COST)).publicKey)).toBe(toHex(a.publicKey))
    expect(toHex((await passphraseKeyPair('keeper one share phrase!', salt(1), TEST_COST)).publicKey)).not.toBe(toHex(a.publicKey))
    expect(toHex((await passphraseKeyPair('keeper one share phrase', salt(2), TEST_COST)).publicKey)).not.toBe(toHex(a.publicKey))
    // NFC: the same text typed precomposed or decomposed is the same passphrase
    expect(toHex((await passphraseKeyPair('caf\u00e9 share phrase', salt(1), TEST_COST)).publicKey)).toBe(
      toHex((await passphraseKeyPair('cafe\u0301 share phrase', salt(1), TEST_COST)).publicKey),
    )
  })

  test('a sealed share opens only with its holder’s passphrase and only for its own key and holder', async () => {
    const [share] = await splitSecret(fromHex(A1.ikmR), 2, 2)
    const holder = await passphraseKeyPair('keeper one share phrase', salt(1), TEST_COST)
    const sealed = await sealShare(share!, holder.publicKey, 'pk-1/user-1')
    expect(toHex((await openShare(sealed, holder.privateKey, 'pk-1/user-1'))!)).toBe(toHex(share!))
    const wrong = await passphraseKeyPair('keeper two share phrase', salt(1), TEST_COST)
    expect(await openShare(sealed, wrong.privateKey, 'pk-1/user-1')).toBeNull()
    expect(await openShare(sealed, holder.privateKey, 'pk-1/user-2')).toBeNull() // moved to another holder's row
    expect(await openShare(sealed, holder.privateKey, 'pk-2/user-1')).toBeNull()
  })
})
