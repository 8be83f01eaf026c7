// Refusals of paper encryption (R5.1). Thrown, not returned: a stream cannot return a value halfway,
// and a bad ciphertext or key is a broken invariant for the caller (a logged 500, an incident).
// The codes are stable: the server maps them to HTTP statuses and custody-log events.

/** Every code, for the server's code → status table. */
export const PAPER_CRYPTO_CODES = [
  'paper.bad_header', // not a paper container, an unknown version/algorithm, or a header altered
  'paper.wrong_key', // the header was made with another data key
  'paper.tampered', // a chunk fails authentication (altered, or from another file), or data follows the final chunk
  'paper.reordered', // a chunk of this file, authentic, at the wrong position (swapped, duplicated)
  'paper.truncated', // the ciphertext ends early: mid-header, mid-chunk, or after a chunk that is not the final one
  'key.bad_format', // not a wrapped data key of a known version
  'key.unknown_master', // wrapped under a master key id that was not supplied
  'key.unwrap_failed', // wrong master key bytes, another file's context (a moved key), or altered
] as const

export type PaperCryptoCode = (typeof PAPER_CRYPTO_CODES)[number]

/** A refused paper ciphertext or wrapped key. `err.code === 'paper.truncated'`; `err.chunk` is the chunk index, if any. */
export class PaperCryptoError extends Error {
  override readonly name = 'PaperCryptoError'
  readonly code: PaperCryptoCode
  readonly chunk: number | undefined

  constructor(code: PaperCryptoCode, message: string, chunk?: number) {
    super(`${code}: ${message}`)
    this.code = code
    this.chunk = chunk
  }
}
