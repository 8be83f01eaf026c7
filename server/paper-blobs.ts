/**
 * Where paper ciphertext lives (R5.1, docs/decisions/003-paper-encryption.md): one blob per uploaded file,
 * written once under its file id and never changed. Only ciphertext ever reaches a blob store; the
 * plaintext exists in memory, a chunk at a time, on its way in and out.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { open, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'

export interface PaperBlobStore {
  /** Writes the whole blob; it becomes visible under `fileId` only once complete. Returns its size and SHA-256 (hex). */
  write(fileId: string, chunks: AsyncIterable<Uint8Array>): Promise<{ bytes: number; sha256: string }>
  /** The blob's bytes, in order. Throws if there is none. */
  read(fileId: string): AsyncIterable<Uint8Array>
  exists(fileId: string): Promise<boolean>
  /** Forgets a blob (a replaced or abandoned upload); no error if there is none. */
  remove(fileId: string): Promise<void>
}

// File ids become file names: nothing that can climb out of the folder or surprise a shell.
const FILE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/

function checkFileId(fileId: string): string {
  if (typeof fileId !== 'string' || !FILE_ID.test(fileId)) throw new RangeError(`"fileId" expected 1–80 of [A-Za-z0-9_-], got ${JSON.stringify(fileId)}`)
  return fileId
}

/** Writes are batched to this size: a 64 KiB chunk per write call would cost ~40,000 calls per 2.5 GB. */
const WRITE_BATCH = 1 << 20

/**
 * DATA_DIR/papers/<fileId>.enc, written to a temporary file (0600) that is fsynced and renamed into place,
 * so a crash never leaves a half blob under a real name; leftovers of a crash are removed at start.
 */
export class FsPaperBlobStore implements PaperBlobStore {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    for (const f of readdirSync(dir)) if (f.endsWith('.tmp')) rmSync(join(dir, f), { force: true })
  }

  private path(fileId: string): string {
    return join(this.dir, `${checkFileId(fileId)}.enc`)
  }

  async write(fileId: string, chunks: AsyncIterable<Uint8Array>): Promise<{ bytes: number; sha256: string }> {
    const final = this.path(fileId)
    const tmp = `${final}.${randomBytes(6).toString('hex')}.tmp`
    const hash = createHash('sha256')
    const fh = await open(tmp, 'wx', 0o600)
    let bytes = 0
    try {
      const batch = new Uint8Array(WRITE_BATCH)
      let fill = 0
      for await (const chunk of chunks) {
        hash.update(chunk)
        bytes += chunk.length
        if (fill + chunk.length > batch.length) {
          if (fill > 0) await writeAll(fh, batch.subarray(0, fill))
          fill = 0
        }
        if (chunk.length >= batch.length) await writeAll(fh, chunk)
        else {
          batch.set(chunk, fill)
          fill += chunk.length
        }
      }
      if (fill > 0) await writeAll(fh, batch.subarray(0, fill))
      await fh.sync()
      await fh.close()
      await rename(tmp, final)
    } catch (err) {
      await fh.close().catch(() => {})
      await rm(tmp, { force: true })
      throw err
    }
    return { bytes, sha256: hash.digest('hex') }
  }

  async *read(fileId: string): AsyncIterable<Uint8Array> {
    for await (const chunk of createReadStream(this.path(fileId), { highWaterMark: WRITE_BATCH })) yield chunk as Uint8Array
  }

  async exists(fileId: string): Promise<boolean> {
    try {
      return (await stat(this.path(fileId))).isFile()
    } catch {
      return false
    }
  }

  async remove(fileId: string): Promise<void> {
    await rm(this.path(fileId), { force: true })
  }
}

async function writeAll(fh: Awaited<ReturnType<typeof open>>, bytes: Uint8Array): Promise<void> {
  let off = 0
  while (off < bytes.length) off += (await fh.write(bytes, off, bytes.length - off)).bytesWritten
}

/** The same contract in memory, for tests and the demo without a data folder. */
export class MemoryPaperBlobStore implements PaperBlobStore {
  private readonly blobs = new Map<string, Uint8Array[]>()

  async write(fileId: string, chunks: AsyncIterable<Uint8Array>): Promise<{ bytes: number; sha256: string }> {
    checkFileId(fileId)
    const hash = createHash('sha256')
    const parts: Uint8Array[] = []
    let bytes = 0
    for await (const chunk of chunks) {
      hash.update(chunk)
      parts.push(chunk.slice())
      bytes += chunk.length
    }
    this.blobs.set(fileId, parts) // only once complete, like the rename
    return { bytes, sha256: hash.digest('hex') }
  }

  async *read(fileId: string): AsyncIterable<Uint8Array> {
    const parts = this.blobs.get(checkFileId(fileId))
    if (!parts) throw new Error(`no paper blob ${fileId}`)
    for (const p of parts) yield p
  }

  async exists(fileId: string): Promise<boolean> {
    return this.blobs.has(checkFileId(fileId))
  }
  async remove(fileId: string): Promise<void> {
    this.blobs.delete(checkFileId(fileId))
  }

  /** Test hook: replaces a stored blob's bytes (tampering, a swapped file). */
  replace(fileId: string, bytes: Uint8Array): void {
    this.blobs.set(checkFileId(fileId), [bytes.slice()])
  }
  /** Test hook: the stored bytes. */
  bytesOf(fileId: string): Uint8Array | null {
    const parts = this.blobs.get(fileId)
    if (!parts) return null
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
    let off = 0
    for (const p of parts) {
      out.set(p, off)
      off += p.length
    }
    return out
  }
}

/** SHA-256 (hex) of a stored blob, read through once: checked before a paper is decrypted. */
export async function blobSha256(store: PaperBlobStore, fileId: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256')
  let bytes = 0
  for await (const chunk of store.read(fileId)) {
    hash.update(chunk)
    bytes += chunk.length
  }
  return { bytes, sha256: hash.digest('hex') }
}
