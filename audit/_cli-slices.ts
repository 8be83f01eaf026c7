// Parallel verification of a large export file (the CLI's side; audit/_verify.ts stays pure): the file is
// cut at a line boundary, the second slice is verified in a worker, and its result joins the first at the seam.
import { open, stat } from 'node:fs/promises'
import { toHex } from '../crypto/index.ts'
import type { ExportVerifier, SliceResult } from './_verify.ts'

/** Files smaller than this are verified on one thread: a worker costs more than it saves. */
const PARALLEL_FROM_BYTES = Number(process.env.CUSTODY_VERIFY_PARALLEL_BYTES ?? 16 * 1024 * 1024)

/** The first byte of the line that starts at or after the middle of the file, or null for a small file. */
export async function splitPoint(path: string): Promise<{ at: number; size: number } | null> {
  const { size } = await stat(path)
  if (size < PARALLEL_FROM_BYTES) return null
  const fh = await open(path, 'r')
  try {
    const buf = new Uint8Array(1 << 20)
    for (let pos = Math.floor(size / 2); pos < size; pos += buf.length) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos)
      const nl = buf.subarray(0, bytesRead).indexOf(10)
      if (nl >= 0) return pos + nl + 1 < size ? { at: pos + nl + 1, size } : null
    }
    return null
  } finally {
    await fh.close()
  }
}

/** Verifies bytes [start, end) of the file in a worker thread. */
export function verifySliceInWorker(path: string, start: number, end: number): Promise<SliceResult> {
  const worker = new Worker(new URL('./_cli-worker.ts', import.meta.url).href)
  return new Promise<SliceResult>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<SliceResult | { error: string }>) => {
      worker.terminate()
      if ('error' in e.data) reject(new Error(e.data.error))
      else resolve(e.data)
    }
    worker.onerror = (e) => {
      worker.terminate()
      reject(new Error(e.message))
    }
    worker.postMessage({ path, start, end })
  })
}

/**
 * Joins the second slice to the verifier that read the first: the slice must start at the next position
 * and its first prev must be the first slice's last leaf; a failure inside the slice is reported as is.
 */
export function joinSlice(first: ExportVerifier, slice: SliceResult): void {
  const pos = first.count
  const ended = first.ended
  if ((ended.trailer || ended.blankLines > 0) && (slice.count > 0 || slice.trailer)) {
    first.fail(
      ended.trailer
        ? { ok: false, index: pos, code: 'checkpoint.not_last', reason: 'a line follows the checkpoint line' }
        : { ok: false, index: pos, code: 'entry.malformed', reason: 'blank line inside the export' },
    )
    return
  }
  const seamBroken = slice.start !== pos || (slice.count > 0 && slice.firstPrevHex !== toHex(first.lastLeaf))
  if (slice.start !== pos && !(slice.count === 0 && slice.trailer)) {
    first.fail(
      slice.failure && slice.count === 0
        ? { ...slice.failure, index: pos }
        : {
            ok: false,
            index: pos,
            code: 'entry.index_mismatch',
            reason: `line says index ${slice.start} at position ${pos}: an entry was deleted, inserted or moved`,
          },
    )
    return
  }
  if (seamBroken && slice.count > 0) {
    first.fail({ ok: false, index: pos, code: 'entry.chain_broken', reason: `prev does not match entry ${pos - 1}: entry ${pos - 1} or ${pos} was altered` })
    return
  }
  first.join(slice)
}
