// Worker for audit/_cli-slices.ts: verifies one slice of an export file and posts its SliceResult back.
import { ExportVerifier } from './_verify.ts'
import { lineBatches } from './_cli-lines.ts'

declare const self: Worker

self.onmessage = async (e: MessageEvent<{ path: string; start: number; end: number }>) => {
  try {
    const v = new ExportVerifier({ slice: true })
    read: for await (const batch of lineBatches(e.data.path, { start: e.data.start, end: e.data.end })) {
      for (const line of batch) if (v.push(line)) break read
    }
    self.postMessage(v.sliceResult())
  } catch (err) {
    self.postMessage({ error: err instanceof Error ? err.message : String(err) })
  }
}
