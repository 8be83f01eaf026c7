// crypto/_stream.ts at size: memory stays at a couple of chunks whatever the paper's size,
// and papers past 2 GiB (lengths past 2^31, tens of thousands of chunk counters) round-trip.
// About 1.5 s in all: native AES-GCM runs at several GB/s (the server's path, installed here; pure noble
// runs ~46 MB/s, which test/crypto-native.test.ts checks gives the same bytes).
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type NativeCrypto, decryptStream, encryptStream, encryptedPaperLength, generateDataKey, installNative } from '../crypto/index.ts'
import { NODE_CRYPTO } from '../server/native-crypto.ts'

let previous: NativeCrypto
beforeAll(() => {
  previous = installNative(NODE_CRYPTO)
})
afterAll(() => {
  installNative(previous)
})

const KEY = generateDataKey()
const MiB = 2 ** 20
// The byte at offset g of every generated paper is (g * 31) & 255: checkable anywhere without storing it.
const PIECE = Uint8Array.from({ length: MiB }, (_, i) => (i * 31) & 255)

async function* generated(total: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < total; at += MiB) yield PIECE.subarray(0, Math.min(MiB, total - at))
}

function expectPattern(p: Uint8Array, offset: number, full: boolean): void {
  if (full) {
    for (let i = 0; i < p.length; i++) if (p[i] !== ((offset + i) * 31) % 256) expect.unreachable(`byte ${offset + i} differs`)
  } else {
    expect(p[0]).toBe((offset * 31) % 256)
    expect(p[p.length - 1]).toBe(((offset + p.length - 1) * 31) % 256)
  }
}

describe('paper streams at size', () => {
  test('encrypting and decrypting a 300 MB paper grows memory by far less than its size (under 64 MB)', async () => {
    const total = 300 * MiB + 5
    Bun.gc(true)
    const base = process.memoryUsage().rss
    let peak = base
    let offset = 0
    let n = 0
    for await (const p of decryptStream(encryptStream(generated(total), KEY), KEY)) {
      expectPattern(p, offset, n % 500 === 0)
      offset += p.length
      // What is measured is what the stream keeps, not how lazily the collector runs: under `--no-isolate`
      // other files' heaps make it lazier, so a collection runs before every sample.
      if (++n % 64 === 0) {
        Bun.gc(true)
        peak = Math.max(peak, process.memoryUsage().rss)
      }
    }
    expect(offset).toBe(total)
    expect((peak - base) / MiB).toBeLessThan(64)
  })

  test('a paper over 2 GiB round-trips: lengths past 2^31, chunk counters past 32,768', async () => {
    const total = 2 ** 31 + 3 * MiB + 7
    let ciphertext = 0
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const c of encryptStream(generated(total), KEY)) {
        ciphertext += c.length
        yield c
      }
    }
    let offset = 0
    let n = 0
    for await (const p of decryptStream(counted(), KEY)) {
      expectPattern(p, offset, n++ % 4096 === 0 || offset + p.length === total)
      offset += p.length
    }
    expect(offset).toBe(total)
    expect(n).toBe(Math.ceil(total / 65536))
    expect(ciphertext).toBe(encryptedPaperLength(total))
  })
})
