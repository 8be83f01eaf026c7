// Reading an export file as lines of bytes (the CLI and its worker): synchronous reads into one reused buffer,
// and no string made for a line unless the verifier needs one (ExportVerifier.pushBytes).
import { closeSync, openSync, readSync } from 'node:fs'

const CHUNK = 1 << 20

/**
 * Calls `each(buf, start, end)` for every line of the file, or of its bytes [range.start, range.end), without
 * the newline; a final line without one counts too. A UTF-8 byte order mark at the file's first byte is
 * skipped. Stops early when `each` returns true. `buf` is only valid during the call (it is reused).
 */
export function forEachLine(
  path: string,
  range: { start: number; end: number } | null,
  each: (buf: Uint8Array, start: number, end: number) => boolean | undefined,
): void {
  const end = range ? range.end : Infinity
  let pos = range ? range.start : 0
  if (pos >= end) return
  const fd = openSync(path, 'r')
  try {
    let buf = new Uint8Array(CHUNK)
    let filled = 0 // buf[0, filled) holds bytes not yet split into lines
    let first = pos === 0
    for (;;) {
      if (filled === buf.length) {
        const grown = new Uint8Array(buf.length * 2) // a line longer than the buffer
        grown.set(buf)
        buf = grown
      }
      const n = readSync(fd, buf, filled, Math.min(buf.length - filled, end - pos), pos)
      if (n === 0) break
      pos += n
      filled += n
      let at = 0
      if (first && filled >= 3) {
        if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) at = 3
        first = false
      }
      for (;;) {
        const nl = buf.indexOf(10, at)
        if (nl < 0 || nl >= filled) break
        if (each(buf, at, nl)) return
        at = nl + 1
      }
      buf.copyWithin(0, at, filled)
      filled -= at
      if (pos >= end) break
    }
    if (filled > 0) each(buf, 0, filled)
  } finally {
    closeSync(fd)
  }
}
