// Reading the canonical payload bytes of the signed texts (tickets, docs/ticket-format.md; certificates,
// docs/certificate-format.md): one reader, so both formats refuse a short or non-UTF-8 payload the same way.

/** The longest text field: its length byte (0..254). */
export const MAX_TEXT = 0xfe

/** A payload that is not in its format; the decoders turn it into their own `*.malformed` refusal. */
export class Malformed extends Error {}
export const malformed = (reason: string): never => {
  throw new Malformed(reason)
}

export class PayloadReader {
  protected at = 0
  constructor(protected readonly b: Uint8Array) {}
  get done(): boolean {
    return this.at === this.b.length
  }
  /** The next byte without taking it (undefined at the end). */
  peek(): number | undefined {
    return this.b[this.at]
  }
  u8(): number {
    if (this.at >= this.b.length) malformed('payload ends early')
    return this.b[this.at++]!
  }
  bytes(n: number): Uint8Array {
    if (this.at + n > this.b.length) malformed('payload ends early')
    const out = this.b.slice(this.at, this.at + n)
    this.at += n
    return out
  }
  ascii(n: number): string {
    return String.fromCharCode(...this.bytes(n))
  }
  /** A text field: one length byte, then that many bytes of strict UTF-8. */
  text(title: string, allowEmpty = false): string {
    const n = this.u8()
    if (n > MAX_TEXT) malformed(`${title}: length byte 0x${n.toString(16)} is not a text length`)
    if (n === 0 && !allowEmpty) malformed(`${title} is empty`)
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(this.bytes(n))
    } catch (e) {
      if (e instanceof Malformed) throw e
      return malformed(`${title} is not UTF-8`)
    }
  }
}
