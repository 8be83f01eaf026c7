// Streaming encryption of paper files (R5.1): the server pipes an upload straight into
// encryptStream and the ciphertext into storage, and decryptStream's chunks straight into a response,
// so plaintext never needs the disk and memory stays at a couple of chunks whatever the file size.
//
// Every chunk holds exactly chunkSize plaintext bytes. The final chunk holds the last 0..chunkSize-1
// bytes, then 0x80, then zeros (ISO/IEC 7816-4 padding), so every sealed chunk is chunkSize + 16 bytes:
// a ciphertext cut anywhere but a chunk boundary is truncated by its length alone, a cut at a boundary
// leaves a last chunk that opens only as non-final, and the stored size reveals the paper's size only
// to within a chunk. Cost: at most one chunk of padding per file.
import { abytes, concatBytes } from './_bytes.ts'
import { AES_KEY_LENGTH, GCM_TAG_LENGTH, aesGcmOpen, aesGcmSeal } from './_aead.ts'
import { PaperCryptoError } from './_paper-error.ts'
import { randomBytes } from './_native.ts'
import {
  DEFAULT_CHUNK_SIZE,
  MAX_CHUNKS,
  PREFIX_LENGTH,
  SALT_LENGTH,
  type OpenHeader,
  chunkNonce,
  headerLengthNeeded,
  makeHeader,
  openHeader,
} from './_paper-format.ts'

/** Bytes in: an async iterable (a Node stream, a generator), a web ReadableStream, or a plain iterable. */
export type ByteSource = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array> | Iterable<Uint8Array>

export interface EncryptOptions {
  /** The stored file's id, written into the header as an authenticated label. Default ''. */
  fileId?: string
  /** Plaintext bytes per chunk, a power of two from 64 B to 16 MiB. Default 65536. */
  chunkSize?: number
  /** Random bytes for the salt and nonce prefix. Tests pass a fixed source to pin the bytes; never in production. */
  random?: (length: number) => Uint8Array
}

/**
 * How far around a failing chunk's position other counters are tried, to tell a chunk out of place
 * (paper.reordered) from an altered one (paper.tampered). Only on failure; bounded so a hostile
 * ciphertext costs at most 2·2·8 extra chunk openings.
 */
const REORDER_WINDOW = 8

const defaultRandom = randomBytes

async function* pieces(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (typeof (source as ReadableStream<Uint8Array>).getReader === 'function') {
    const reader = (source as ReadableStream<Uint8Array>).getReader()
    let ended = false
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        yield abytes(value, undefined, 'chunk of the source')
      }
      ended = true
    } finally {
      // Stopped early (a refusal, or the consumer went away): the rest of the source is not wanted.
      if (!ended) await reader.cancel().catch(() => {})
      reader.releaseLock()
    }
    return
  }
  for await (const piece of source as AsyncIterable<Uint8Array>) yield abytes(piece, undefined, 'chunk of the source')
}

function checkDataKey(dataKey: Uint8Array): void {
  abytes(dataKey, AES_KEY_LENGTH, 'dataKey')
}

/**
 * Encrypts a paper: yields the header, then one sealed chunk (chunkSize + 16 bytes) at a time.
 * Pieces of the source are only read while the previous output is consumed (back-pressure).
 * `for await (const c of encryptStream(upload, dataKey, { fileId })) store(c)`
 */
export function encryptStream(plaintext: ByteSource, dataKey: Uint8Array, opts: EncryptOptions = {}): AsyncGenerator<Uint8Array, void, undefined> {
  // Arguments are checked here, at the call, not at the first read of the generator.
  checkDataKey(dataKey)
  const random = opts.random ?? defaultRandom
  const header = makeHeader(dataKey, opts.chunkSize ?? DEFAULT_CHUNK_SIZE, opts.fileId ?? '', random(SALT_LENGTH), random(PREFIX_LENGTH))
  return sealChunks(plaintext, header)
}

async function* sealChunks(plaintext: ByteSource, header: OpenHeader): AsyncGenerator<Uint8Array, void, undefined> {
  const chunkSize = header.chunkSize
  yield header.bytes

  const pending = new Uint8Array(chunkSize)
  let fill = 0
  let index = 0
  const seal = (bytes: Uint8Array, final: boolean): Uint8Array => {
    if (index >= MAX_CHUNKS) throw new RangeError(`a paper holds at most 2^32 chunks of ${chunkSize} bytes`)
    return aesGcmSeal(header.payloadKey, chunkNonce(header.noncePrefix, index++, final), bytes, header.bytes)
  }
  for await (const piece of pieces(plaintext)) {
    let at = 0
    if (fill > 0) {
      const take = Math.min(chunkSize - fill, piece.length)
      pending.set(piece.subarray(0, take), fill)
      fill += take
      at = take
      if (fill < chunkSize) continue
      yield seal(pending, false)
      fill = 0
    }
    // Whole chunks straight from the piece, no copy; the piece is ours until the next one is asked for.
    while (piece.length - at >= chunkSize) {
      yield seal(piece.subarray(at, at + chunkSize), false)
      at += chunkSize
    }
    // The rest is copied: a source may reuse its buffer once the next piece is asked for.
    pending.set(piece.subarray(at), 0)
    fill = piece.length - at
  }
  pending[fill] = 0x80
  pending.fill(0, fill + 1)
  yield seal(pending, true)
}

/** Why a sealed chunk does not open at `index` as a non-final chunk: always throws. */
function diagnose(header: OpenHeader, sealed: Uint8Array, index: number): never {
  const opens = (i: number, final: boolean) => aesGcmOpen(header.payloadKey, chunkNonce(header.noncePrefix, i, final), sealed, header.bytes) !== null
  if (opens(index, true)) throw new PaperCryptoError('paper.tampered', `data follows the final chunk (${index})`, index)
  for (let d = 1; d <= REORDER_WINDOW; d++) {
    for (const i of [index - d, index + d]) {
      if (i < 0 || i >= MAX_CHUNKS) continue
      if (opens(i, false) || opens(i, true)) throw new PaperCryptoError('paper.reordered', `chunk ${i} of this paper is at position ${index}`, index)
    }
  }
  throw new PaperCryptoError('paper.tampered', `chunk ${index} fails authentication (altered, or from another file)`, index)
}

function unpad(padded: Uint8Array, index: number): Uint8Array {
  let end = padded.length - 1
  while (end >= 0 && padded[end] === 0) end--
  // Authenticated bytes: only a holder of the key could have written bad padding.
  if (end < 0 || padded[end] !== 0x80) throw new PaperCryptoError('paper.tampered', `the final chunk (${index}) has no valid padding`, index)
  return padded.subarray(0, end)
}

/**
 * Decrypts a paper: yields each chunk's plaintext only after that chunk is authenticated, and throws
 * PaperCryptoError (paper.bad_header, paper.wrong_key, paper.tampered, paper.reordered,
 * paper.truncated) before anything of a bad chunk is yielded. Earlier, good chunks have been yielded:
 * a consumer that must not act on a partial paper buffers or discards on error.
 * `for await (const c of decryptStream(stored, dataKey)) response.write(c)`
 */
export function decryptStream(ciphertext: ByteSource, dataKey: Uint8Array): AsyncGenerator<Uint8Array, void, undefined> {
  checkDataKey(dataKey)
  return openChunks(ciphertext, dataKey.slice())
}

async function* openChunks(ciphertext: ByteSource, dataKey: Uint8Array): AsyncGenerator<Uint8Array, void, undefined> {
  let header: OpenHeader | undefined
  let head: Uint8Array = new Uint8Array(0)
  let buf = new Uint8Array(0) // one sealed chunk, once the header is known
  let fill = 0
  let index = 0
  let finished = false

  // Opens one sealed chunk; `more` says whether ciphertext bytes follow it (only the last may be final).
  // The last one may also open as non-final: authentic, so it is yielded, and the end reports what is missing.
  const open = (h: OpenHeader, sealed: Uint8Array, more: boolean): Uint8Array => {
    const nonce = (final: boolean) => chunkNonce(h.noncePrefix, index, final)
    if (!more) {
      const last = aesGcmOpen(h.payloadKey, nonce(true), sealed, h.bytes)
      if (last !== null) {
        finished = true
        return unpad(last, index++)
      }
    }
    const plain = aesGcmOpen(h.payloadKey, nonce(false), sealed, h.bytes)
    if (plain === null) diagnose(h, sealed, index)
    index++
    return plain
  }

  for await (const piece of pieces(ciphertext)) {
    if (piece.length === 0) continue
    let at = 0
    // The header (at most 322 bytes) is gathered by copying exactly its bytes: first the 12 that give
    // its length, then the rest. A wrong start is refused as soon as it shows.
    while (!header && at < piece.length) {
      const take = Math.min((head.length < 12 ? 12 : headerLengthNeeded(head)) - head.length, piece.length - at)
      head = concatBytes(head, piece.subarray(at, at + take))
      at += take
      const need = headerLengthNeeded(head) // throws paper.bad_header on a wrong start
      if (head.length >= 12 && head.length >= need) {
        header = openHeader(head, dataKey)
        buf = new Uint8Array(header.chunkSize + GCM_TAG_LENGTH)
      }
    }
    if (at < piece.length) yield* chunksOf(piece.subarray(at))
  }
  if (!header) {
    headerLengthNeeded(head) // a wrong start is a bad header, not a truncation
    throw new PaperCryptoError('paper.truncated', `the ciphertext ends inside the header (${head.length} bytes)`)
  }
  if (fill === buf.length) {
    fill = 0
    yield open(header, buf, false)
  }
  if (fill > 0) throw new PaperCryptoError('paper.truncated', `the ciphertext ends inside chunk ${index} (${fill} of ${buf.length} bytes)`, index)
  if (!finished) {
    const after = index === 0 ? 'the header' : `chunk ${index - 1}, which is not the final chunk`
    throw new PaperCryptoError('paper.truncated', `the ciphertext ends after ${after}`, index)
  }

  // Splits bytes into sealed chunks. A full chunk is opened once it is known whether bytes follow it;
  // one that ends exactly at the end of a piece waits in buf for the next piece (or the end).
  function* chunksOf(bytes: Uint8Array): Generator<Uint8Array> {
    const h = header!
    const size = buf.length
    let at = 0
    if (fill === size) {
      fill = 0
      yield open(h, buf, true)
    }
    if (fill > 0) {
      const take = Math.min(size - fill, bytes.length)
      buf.set(bytes.subarray(0, take), fill)
      fill += take
      at = take
      if (fill < size) return
      if (at === bytes.length) return // full; wait to learn whether more follows
      fill = 0
      yield open(h, buf, true)
    }
    // Whole chunks straight from the piece while bytes follow them within it.
    while (bytes.length - at > size) {
      yield open(h, bytes.subarray(at, at + size), true)
      at += size
    }
    buf.set(bytes.subarray(at), 0)
    fill = bytes.length - at
  }
}

/**
 * A pull-based ReadableStream over an async iterable (back-pressure kept; cancel stops the iterator),
 * for Hono responses: `c.body(toReadableStream(decryptStream(stored, key)))`
 */
export function toReadableStream(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const it = source[Symbol.asyncIterator]()
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await it.next()
          if (done) controller.close()
          else controller.enqueue(value)
        } catch (err) {
          controller.error(err)
        }
      },
      async cancel(reason) {
        await it.return?.(reason)
      },
    },
    { highWaterMark: 0 },
  )
}
