// Worker for audit/_cli-slices.ts: verifies one slice of an export file and posts its SliceResult back.
import { ExportVerifier } from './_verify.ts'
import { forEachLine } from './_cli-lines.ts'
import { installNativeCrypto } from '../server/native-crypto.ts'

installNativeCrypto() // a worker has its own module state

declare const self: Worker

self.onmessage = async (e: MessageEvent<{ path: string; start: number; end: number }>) => {
  try {
    const v = new ExportVerifier({ slice: true })
    forEachLine(e.data.path, { start: e.data.start, end: e.data.end }, (buf, start, end) => v.pushBytes(buf, start, end) !== undefined)
    self.postMessage(v.sliceResult())
  } catch (err) {
    self.postMessage({ error: err instanceof Error ? err.message : String(err) })
  }
}
