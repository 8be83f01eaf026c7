// crypto/_stream.ts: papers encrypted and decrypted as streams (R5.1). Round trips of every
// size around a chunk boundary, and every kind of damage refused with its code before any plaintext
// of the bad chunk is yielded.
import { Readable } from 'node:stream'
import { describe, expect, test } from 'vitest'
import fc from 'fast-check'
import { type ByteSource, PaperCryptoError, concatBytes, decryptStream, encryptStream, equalBytes, generateDataKey, toReadableStream } from '../crypto/index.ts'

const KEY = generateDataKey()
const CHUNK = 64
const SEALED = CHUNK + 16

const pattern = (n: number, seed = 1): Uint8Array => {
  const out = new Uint8Array(n)
  let x = seed
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    out[i] = x >>> 24
  }
  return out
}

/** The ciphertext as encryptStream yields it: the header, then one sealed chunk per item. */
async function encrypt(plain: Uint8Array, opts: { chunkSize?: number; fileId?: string } = { chunkSize: CHUNK }, key = KEY): Promise<Uint8Array[]> {
  const out: Uint8Array[] = []
  for await (const c of encryptStream([plain], key, opts)) out.push(c)
  return out
}

interface Outcome {
  plain: Uint8Array
  yields: Uint8Array[]
  error: PaperCryptoError | null
}

/** Everything decryptStream yields before it ends or refuses. */
async function decrypt(source: ByteSource, key = KEY): Promise<Outcome> {
  const yields: Uint8Array[] = []
  try {
    for await (const p of decryptStream(source, key)) yields.push(p.slice())
  } catch (err) {
    if (!(err instanceof PaperCryptoError)) throw err
    return { plain: concatBytes(...yields), yields, error: err }
  }
  return { plain: concatBytes(...yields), yields, error: null }
}

/** Expects a refusal with `code` at chunk `chunk`, after exactly the plaintext of the chunks before it. */
function expectRefused(o: Outcome, original: Uint8Array, code: string, chunk?: number, chunkSize = CHUNK): void {
  expect(o.error?.code).toBe(code)
  if (chunk !== undefined) expect(o.error?.chunk).toBe(chunk)
  const emitted = chunk ?? 0
  expect(o.plain.length).toBe(emitted * chunkSize)
  expect(equalBytes(o.plain, original.subarray(0, emitted * chunkSize))).toBe(true)
}

/** Splits bytes at the given cut points (any order, duplicates allowed). */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
  const out: Uint8Array[] = []
  let at = 0
  for (const p of points) {
    out.push(bytes.subarray(at, p))
    at = p
  }
  out.push(bytes.subarray(at))
  return out
}

describe('paper streams: round trips', () => {
  test('empty, 1-byte, one-chunk-less-one, exactly-one-chunk, chunk+1 and two-chunk papers round-trip', async () => {
    for (const size of [0, 1, 63, 64, 65, 127, 128, 129]) {
      const plain = pattern(size, size)
      const o = await decrypt(await encrypt(plain))
      expect(o.error, `${size} bytes`).toBeNull()
      expect(equalBytes(o.plain, plain), `${size} bytes`).toBe(true)
    }
  })

  test('a multi-MB paper round-trips with the default 64 KiB chunks, one yield per chunk', async () => {
    const plain = pattern(3 * 2 ** 20 + 17, 9)
    const ct = await encrypt(plain, {})
    expect(ct.length).toBe(1 + 48 + 1)
    expect(ct.slice(1).every((c) => c.length === 65536 + 16)).toBe(true)
    const o = await decrypt(ct)
    expect(o.error).toBeNull()
    expect(o.yields.map((y) => y.length)).toEqual([...Array(48).fill(65536), 17])
    expect(equalBytes(o.plain, plain)).toBe(true)
  })

  test('round-trips whatever the pieces the plaintext and the ciphertext arrive in', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(600),
        fc.constantFrom(64, 128),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (size, chunkSize, plainCuts, cipherCuts) => {
          const plain = pattern(size, size + 3)
          const ct: Uint8Array[] = []
          for await (const c of encryptStream(split(plain, plainCuts), KEY, { chunkSize })) ct.push(c)
          const o = await decrypt(split(concatBytes(...ct), cipherCuts))
          expect(o.error).toBeNull()
          expect(equalBytes(o.plain, plain)).toBe(true)
        },
      ),
      { numRuns: 300 },
    )
  })

  test('accepts web ReadableStreams, Node streams, async generators and arrays as sources', async () => {
    const plain = pattern(1000)
    const web = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(plain.subarray(0, 500))
        c.enqueue(plain.subarray(500))
        c.close()
      },
    })
    async function* gen() {
      yield plain.subarray(0, 1)
      yield plain.subarray(1)
    }
    for (const source of [web, Readable.from([Buffer.from(plain)]), gen(), [plain]] as ByteSource[]) {
      const ct: Uint8Array[] = []
      for await (const c of encryptStream(source, KEY, { chunkSize: CHUNK })) ct.push(c)
      const back = await decrypt(Readable.from(ct.map((c) => Buffer.from(c))))
      expect(equalBytes(back.plain, plain)).toBe(true)
    }
  })

  test('a source that reuses its buffer for the next piece is read correctly (leftovers are copied)', async () => {
    const plain = pattern(1000)
    function* reusing(bytes: Uint8Array, size: number) {
      const buf = new Uint8Array(size)
      for (let at = 0; at < bytes.length; at += size) {
        const n = Math.min(size, bytes.length - at)
        buf.fill(0xee).set(bytes.subarray(at, at + n))
        yield buf.subarray(0, n)
      }
    }
    const ct: Uint8Array[] = []
    for await (const c of encryptStream(reusing(plain, 100), KEY, { chunkSize: CHUNK })) ct.push(c.slice())
    const o = await decrypt(reusing(concatBytes(...ct), 100))
    expect(equalBytes(o.plain, plain)).toBe(true)
  })

  test('bad arguments are refused at the call, before the source is read', () => {
    let read = false
    const source = {
      *[Symbol.iterator]() {
        read = true
        yield new Uint8Array(1)
      },
    }
    expect(() => encryptStream(source, new Uint8Array(16))).toThrow('"dataKey" expected 32 bytes, got 16')
    expect(() => encryptStream(source, KEY, { chunkSize: 1000 })).toThrow('"chunkSize" expected a power of two')
    expect(() => decryptStream(source, KEY.subarray(1))).toThrow('"dataKey" expected 32 bytes, got 31')
    expect(read).toBe(false)
  })

  test('refuses a source that yields something other than bytes', async () => {
    await expect(encrypt('not bytes' as unknown as Uint8Array)).rejects.toThrow('"chunk of the source" expected Uint8Array, got string')
  })
})

describe('paper streams: damage is refused with its code, before any plaintext of the bad chunk', () => {
  const plain = pattern(5 * CHUNK + 10) // 5 full chunks and a final one
  const sealed = encrypt(plain)

  test('a flipped byte in the first, a middle or the final chunk is paper.tampered at that chunk', async () => {
    const ct = await sealed
    for (const chunk of [0, 2, 5])
      for (const at of [0, 40, SEALED - 1]) {
        const bad = ct.map((c) => c.slice())
        bad[1 + chunk]![at]! ^= 0x04
        expectRefused(await decrypt(bad), plain, 'paper.tampered', chunk)
      }
  })

  test('dropping the final chunk, the last two, or all chunks is paper.truncated at the first missing chunk', async () => {
    const ct = await sealed
    // Chunks that remain are authentic and yielded; the refusal names the first missing chunk.
    expectRefused(await decrypt(ct.slice(0, -1)), plain, 'paper.truncated', 5)
    expectRefused(await decrypt(ct.slice(0, -2)), plain, 'paper.truncated', 4)
    expectRefused(await decrypt(ct.slice(0, 1)), plain, 'paper.truncated', 0)
  })

  test('a cut inside a chunk or inside the header is paper.truncated', async () => {
    const all = concatBytes(...(await sealed))
    const header = (await sealed)[0]!.length
    expectRefused(await decrypt([all.subarray(0, header + 2 * SEALED + 30)]), plain, 'paper.truncated', 2)
    expectRefused(await decrypt([all.subarray(0, all.length - 1)]), plain, 'paper.truncated', 5)
    expectRefused(await decrypt([all.subarray(0, header - 1)]), plain, 'paper.truncated')
    expectRefused(await decrypt([]), plain, 'paper.truncated')
  })

  test('two chunks swapped, a chunk duplicated or the final chunk moved forward is paper.reordered', async () => {
    const ct = await sealed
    const swap = (i: number, j: number) => {
      const b = ct.slice()
      ;[b[1 + i], b[1 + j]] = [b[1 + j]!, b[1 + i]!]
      return b
    }
    expectRefused(await decrypt(swap(1, 2)), plain, 'paper.reordered', 1)
    expectRefused(await decrypt(swap(0, 5)), plain, 'paper.reordered', 0)
    const dup = ct.slice()
    dup[1 + 3] = ct[1 + 2]!
    expectRefused(await decrypt(dup), plain, 'paper.reordered', 3)
  })

  test('a chunk from another paper at the same position is paper.tampered, even under the same data key', async () => {
    const ct = await sealed
    for (const key of [generateDataKey(), KEY]) {
      const other = await encrypt(pattern(plain.length, 77), { chunkSize: CHUNK }, key)
      const spliced = ct.slice()
      spliced[1 + 2] = other[1 + 2]!
      expectRefused(await decrypt(spliced), plain, 'paper.tampered', 2)
    }
    // The other paper's header with this paper's chunks: the header is authentic, chunk 0 is not.
    const other = await encrypt(pattern(plain.length, 77), { chunkSize: CHUNK }, KEY)
    expectRefused(await decrypt([other[0]!, ...ct.slice(1)]), plain, 'paper.tampered', 0)
  })

  test('bytes after the final chunk are paper.tampered and the final chunk is not yielded', async () => {
    const ct = await sealed
    expectRefused(await decrypt([...ct, new Uint8Array(3)]), plain, 'paper.tampered', 5)
    expectRefused(await decrypt([...ct, ct[ct.length - 1]!]), plain, 'paper.tampered', 5)
  })

  test('the wrong data key is paper.wrong_key and nothing is yielded', async () => {
    expectRefused(await decrypt(await sealed, generateDataKey()), plain, 'paper.wrong_key')
  })

  test('a web ReadableStream source is cancelled when decryption refuses', async () => {
    const ct = await sealed
    let cancelled = false
    let i = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (i < ct.length) c.enqueue(i === 2 ? ct[i++]!.map((b) => b ^ 1) : ct[i++]!)
        else c.close()
      },
      cancel() {
        cancelled = true
      },
    })
    expectRefused(await decrypt(stream), plain, 'paper.tampered', 1)
    expect(cancelled).toBe(true)
  })

  test('property: any flipped bit anywhere is refused, after exactly the chunks before the damage', async () => {
    const ct = concatBytes(...(await sealed))
    const header = (await sealed)[0]!.length
    await fc.assert(
      fc.asyncProperty(fc.nat(ct.length - 1), fc.nat(7), async (at, bit) => {
        const bad = ct.slice()
        bad[at]! ^= 1 << bit
        const chunk = at < header ? undefined : Math.floor((at - header) / SEALED)
        expectRefused(await decrypt([bad]), plain, chunk === undefined ? 'paper.bad_header' : 'paper.tampered', chunk)
      }),
      { numRuns: 400 },
    )
  })

  test('property: any truncation is paper.truncated, after the whole chunks that remain', async () => {
    const ct = concatBytes(...(await sealed))
    const header = (await sealed)[0]!.length
    await fc.assert(
      fc.asyncProperty(fc.nat(ct.length - 1), async (length) => {
        const o = await decrypt([ct.subarray(0, length)])
        expectRefused(o, plain, 'paper.truncated', length < header ? undefined : Math.floor((length - header) / SEALED))
      }),
      { numRuns: 300 },
    )
  })

  test('property: two swapped chunks are paper.reordered within 8 positions, paper.tampered beyond', async () => {
    const long = pattern(30 * CHUNK + 5)
    const ct = await encrypt(long)
    const chunks = ct.length - 1
    await fc.assert(
      fc.asyncProperty(fc.nat(chunks - 1), fc.nat(chunks - 1), async (a, b) => {
        fc.pre(a !== b)
        const [i, j] = [Math.min(a, b), Math.max(a, b)]
        const bad = ct.slice()
        ;[bad[1 + i], bad[1 + j]] = [bad[1 + j]!, bad[1 + i]!]
        expectRefused(await decrypt(bad), long, j - i <= 8 ? 'paper.reordered' : 'paper.tampered', i)
      }),
      { numRuns: 200 },
    )
  })
})

describe('paper streams as web streams', () => {
  test('toReadableStream serves a decrypted paper as a Response body', async () => {
    const plain = pattern(10_000)
    const ct = await encrypt(plain, { chunkSize: 1024 })
    const body = await new Response(toReadableStream(decryptStream(ct, KEY))).arrayBuffer()
    expect(equalBytes(new Uint8Array(body), plain)).toBe(true)
  })

  test('a refusal errors the ReadableStream with the PaperCryptoError', async () => {
    const ct = await encrypt(pattern(1000))
    const reader = toReadableStream(decryptStream(ct.slice(0, -1), KEY)).getReader()
    let err: unknown
    try {
      for (;;) if ((await reader.read()).done) break
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(PaperCryptoError)
    expect((err as PaperCryptoError).code).toBe('paper.truncated')
  })

  test('cancelling the ReadableStream stops encryption and releases the source', async () => {
    let released = false
    let pulled = 0
    async function* endless() {
      try {
        for (;;) {
          pulled++
          yield new Uint8Array(CHUNK)
        }
      } finally {
        released = true
      }
    }
    const reader = toReadableStream(encryptStream(endless(), KEY, { chunkSize: CHUNK })).getReader()
    for (let k = 0; k < 5; k++) await reader.read()
    await reader.cancel()
    expect(released).toBe(true)
    expect(pulled).toBeLessThan(10) // pull-based: nothing read far ahead of the consumer
  })
})
