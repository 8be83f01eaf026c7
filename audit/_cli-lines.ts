// Reading an export file as lines of bytes, streaming (the CLI and its worker): no string is made for a
// line unless the verifier needs one (ExportVerifier.pushBytes).
import { createReadStream } from 'node:fs'

const BOM = [0xef, 0xbb, 0xbf]

/**
 * Calls `each(buf, start, end)` for every line of the file, or of its bytes [range.start, range.end), without
 * the newline; a final line without one counts too. A UTF-8 byte order mark at the file's first byte is
 * skipped. Stops early when `each` returns true. `buf` is only valid during the call.
 */
export async function forEachLine(
  path: string,
  range: { start: number; end: number } | null,
  each: (buf: Uint8Array, start: number, end: number) => boolean | undefined,
): Promise<void> {
  if (range && range.end <= range.start) return
  const opts = range ? { highWaterMark: 1 << 20, start: range.start, end: range.end - 1 } : { highWaterMark: 1 << 20 }
  let rest: Uint8Array | null = null
  let first = range === null || range.start === 0
  for await (const chunk of createReadStream(path, opts)) {
    let buf = chunk as Uint8Array
    if (rest) {
      const joined = new Uint8Array(rest.length + buf.length)
      joined.set(rest)
      joined.set(buf, rest.length)
      buf = joined
      rest = null
    }
    let at = 0
    if (first && buf.length >= 3) {
      if (BOM.every((x, i) => buf[i] === x)) at = 3
      first = false
    }
    for (let nl = buf.indexOf(10, at); nl >= 0; nl = buf.indexOf(10, at)) {
      if (each(buf, at, nl)) return
      at = nl + 1
    }
    if (at < buf.length) rest = buf.slice(at)
  }
  if (rest && rest.length > 0) each(rest, 0, rest.length)
}
