// crypto/_paper-format.ts: the bytes of the paper container, version 1. Pinned by a known answer, and
// read back by an independent decoder written from the layout in docs/decisions/003-paper-encryption.md
// with noble's HKDF, HMAC and GCM, so the documented format and the code cannot drift apart.
import { describe, expect, test } from 'vitest'
import { gcm } from '@noble/ciphers/aes.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'
import {
  PaperCryptoError,
  concatBytes,
  encryptStream,
  encryptedPaperLength,
  equalBytes,
  readPaperHeader,
  sha256,
  toHex,
  utf8,
  decryptStream,
} from '../crypto/index.ts'

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i)
const SALT = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i)
const PREFIX = Uint8Array.from({ length: 7 }, (_, i) => 0xb0 + i)
const PAPER = utf8('2026年上半年 保育师（四级）理论知识试卷 A 卷 —— 绝密★启用前') // 88 bytes

/** A fixed random source: the salt, then the nonce prefix (the order encryptStream asks for them). */
const fixedRandom = () => {
  const queue = [SALT, PREFIX]
  return () => queue.shift()!.slice()
}

async function encrypt(plain: Uint8Array, opts: Parameters<typeof encryptStream>[2] = {}, key = KEY): Promise<Uint8Array[]> {
  const out: Uint8Array[] = []
  for await (const c of encryptStream([plain], key, opts)) out.push(c)
  return out
}

async function refusal(ciphertext: Uint8Array, key = KEY): Promise<PaperCryptoError> {
  try {
    for await (const _ of decryptStream([ciphertext], key)) {
      /* drain */
    }
  } catch (err) {
    if (err instanceof PaperCryptoError) return err
    throw err
  }
  throw new Error('decryption was not refused')
}

/** The decoder of the documented layout, from other code than the implementation's. */
function independentDecrypt(ct: Uint8Array, dataKey: Uint8Array): Uint8Array {
  const text = new TextDecoder()
  expect(text.decode(ct.subarray(0, 8))).toBe('CUSTODYP')
  expect([ct[8], ct[9]]).toEqual([1, 1])
  const chunkSize = 2 ** ct[10]!
  const n = ct[11]!
  const salt = ct.subarray(12, 28)
  const prefix = ct.subarray(28, 35)
  const check = ct.subarray(35, 51)
  const fileId = ct.subarray(51, 51 + n)
  const tag = ct.subarray(51 + n, 67 + n)
  const header = ct.subarray(0, 67 + n)
  const okm = hkdf(nobleSha256, dataKey, salt, utf8('custody/paper/v1 keys'), 64)
  const [payloadKey, headerKey] = [okm.subarray(0, 32), okm.subarray(32)]
  expect(toHex(check)).toBe(toHex(hmac(nobleSha256, dataKey, utf8('custody/paper/v1 key check')).subarray(0, 16)))
  expect(toHex(tag)).toBe(toHex(hmac(nobleSha256, headerKey, concatBytes(ct.subarray(0, 35), fileId)).subarray(0, 16)))
  const sealedSize = chunkSize + 16
  const body = ct.subarray(header.length)
  expect(body.length % sealedSize).toBe(0)
  const count = body.length / sealedSize
  const parts: Uint8Array[] = []
  for (let i = 0; i < count; i++) {
    const nonce = new Uint8Array(12)
    nonce.set(prefix)
    new DataView(nonce.buffer).setUint32(7, i)
    nonce[11] = i === count - 1 ? 1 : 0
    parts.push(gcm(payloadKey, nonce, header).decrypt(body.subarray(i * sealedSize, (i + 1) * sealedSize)))
  }
  const last = parts.pop()!
  let end = last.length - 1
  while (last[end] === 0) end--
  expect(last[end]).toBe(0x80)
  return concatBytes(...parts, last.subarray(0, end))
}

describe('paper container v1: the bytes', () => {
  test('a fixed key, salt and nonce prefix give the pinned header and ciphertext (known answer)', async () => {
    const out = await encrypt(PAPER, { chunkSize: 64, fileId: 'paper-0001', random: fixedRandom() })
    expect(out.map((c) => c.length)).toEqual([77, 80, 80])
    expect(toHex(out[0]!)).toBe(
      '435553544f445950' +
        '01' +
        '01' +
        '06' +
        '0a' + // magic, version, algorithm, log2 chunk, file id length
        'a0a1a2a3a4a5a6a7a8a9aaabacadaeaf' +
        'b0b1b2b3b4b5b6' + // salt, nonce prefix
        '46fdf6d56110c71c95961313f443c84c' +
        '70617065722d30303031' + // key check, "paper-0001"
        'c4576b8cef6d4bd90b0f104c5f85f8ca',
    ) // header tag
    expect(toHex(sha256(concatBytes(...out)))).toBe('3e8fe3d5b9efbc42f02de75a27b2c9db9e6196624f291263ff0299abd5d585aa')
  })

  test('an independent decoder of the documented layout (noble HKDF, HMAC, GCM) reads what encryptStream writes', async () => {
    for (const [size, chunkSize] of [
      [0, 64],
      [1, 64],
      [63, 64],
      [64, 64],
      [65, 64],
      [1000, 128],
      [200_000, 65536],
    ] as const) {
      const plain = Uint8Array.from({ length: size }, (_, i) => (i * 7 + size) & 255)
      const ct = concatBytes(...(await encrypt(plain, { chunkSize, fileId: `f-${size}` }, KEY)))
      expect(equalBytes(independentDecrypt(ct, KEY), plain), `${size} bytes, chunks of ${chunkSize}`).toBe(true)
    }
  })

  test('the ciphertext length is the header plus ⌊size / chunk⌋ + 1 sealed chunks, as encryptedPaperLength says', async () => {
    for (const size of [0, 1, 63, 64, 65, 128, 1000]) {
      const ct = await encrypt(new Uint8Array(size), { chunkSize: 64, fileId: 'x' })
      const length = ct.reduce((s, c) => s + c.length, 0)
      expect(length).toBe(68 + (Math.floor(size / 64) + 1) * 80)
      expect(encryptedPaperLength(size, { chunkSize: 64, fileId: 'x' })).toBe(length)
    }
    // Files up to at least 2 GB: 32,769 chunks of 64 KiB, header without a file id.
    expect(encryptedPaperLength(2 ** 31)).toBe(67 + (2 ** 15 + 1) * (65536 + 16))
  })

  test('readPaperHeader reads the chunk size and file id without a key', async () => {
    const [header] = await encrypt(PAPER, { chunkSize: 1024, fileId: '试卷-0001' })
    expect(readPaperHeader(header!)).toEqual({ version: 1, algorithm: 'aes-256-gcm', chunkSize: 1024, fileId: '试卷-0001', length: 67 + 11 })
    expect(() => readPaperHeader(header!.subarray(0, 40))).toThrow(expect.objectContaining({ code: 'paper.truncated' }))
    expect(() => readPaperHeader(utf8('%PDF-1.7 not encrypted'))).toThrow(expect.objectContaining({ code: 'paper.bad_header' }))
  })
})

describe('paper container v1: header refusals', () => {
  test('every single flipped byte of the header is refused as paper.bad_header, never as a wrong key', async () => {
    const ct = concatBytes(...(await encrypt(new Uint8Array(5000), { chunkSize: 64, fileId: 'paper-0001' })))
    const headerLength = readPaperHeader(ct).length
    for (let i = 0; i < headerLength; i++) {
      for (const bit of [0x01, 0x80]) {
        const bad = ct.slice()
        bad[i]! ^= bit
        const err = await refusal(bad)
        expect(err.code, `byte ${i} ^ ${bit}`).toBe('paper.bad_header')
      }
    }
  })

  test('another data key is refused as paper.wrong_key before any chunk is read', async () => {
    const ct = concatBytes(...(await encrypt(PAPER, { chunkSize: 64 })))
    const other = KEY.map((b) => b ^ 0xff)
    expect((await refusal(ct, other)).code).toBe('paper.wrong_key')
    // Only the header is needed to tell: a header alone under another key is a wrong key, not a truncation.
    expect((await refusal(ct.subarray(0, 67), other)).code).toBe('paper.wrong_key')
  })

  test('unknown versions and algorithms, bad magic and out-of-range chunk sizes are paper.bad_header', async () => {
    const ct = concatBytes(...(await encrypt(PAPER, { chunkSize: 64 })))
    const at = (i: number, v: number) => {
      const b = ct.slice()
      b[i] = v
      return b
    }
    expect((await refusal(at(8, 2))).message).toContain('unknown container version 2')
    expect((await refusal(at(9, 2))).message).toContain('unknown algorithm 2')
    expect((await refusal(at(10, 5))).message).toContain('chunk size 2^5 out of range')
    expect((await refusal(at(10, 25))).message).toContain('chunk size 2^25 out of range')
    expect((await refusal(utf8('%PDF-1.7'))).code).toBe('paper.bad_header')
  })

  test('refuses chunk sizes that are not a power of two from 64 B to 16 MiB, and file ids over 255 bytes', async () => {
    for (const chunkSize of [0, 32, 100, 65535, 2 ** 25]) {
      await expect(encrypt(PAPER, { chunkSize })).rejects.toThrow(`"chunkSize" expected a power of two from 64 to 16777216, got ${chunkSize}`)
    }
    await expect(encrypt(PAPER, { fileId: '卷'.repeat(86) })).rejects.toThrow('"fileId" expected at most 255 UTF-8 bytes, got 258')
    await expect(encrypt(PAPER, { chunkSize: 64 }, new Uint8Array(16))).rejects.toThrow('"dataKey" expected 32 bytes, got 16')
  })
})
