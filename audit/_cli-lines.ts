// Reading an export file as lines, streaming (the CLI and its worker).
import { createReadStream } from 'node:fs'

/** Lines of a file in batches, decoded as UTF-8 (invalid bytes become U+FFFD and fail verification). */
export async function* lineBatches(path: string, range: { start: number; end: number } | null = null): AsyncGenerator<string[]> {
  const decoder = new TextDecoder()
  let rest = ''
  const opts = range ? { highWaterMark: 1 << 20, start: range.start, end: range.end - 1 } : { highWaterMark: 1 << 20 }
  if (range && range.end <= range.start) return
  for await (const chunk of createReadStream(path, opts)) {
    const lines = (rest + decoder.decode(chunk as Uint8Array, { stream: true })).split('\n')
    rest = lines.pop()!
    yield lines
  }
  const last = rest + decoder.decode()
  if (last.length > 0) yield [last]
}

