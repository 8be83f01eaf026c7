/**
 * The size and root this server last verified or signed itself, kept beside the database
 * (DATA_DIR/log-verified.json), where the next start-up check begins (services/log-check.ts). A file
 * outside the database also notices a database that was swapped for an older copy: fewer entries than
 * the mark is damage.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { fromHex, toHex } from '../crypto/index.ts'
import type { MarkKeeper, VerifiedMark } from './services/index.ts'

export const MARK_FILE = 'log-verified.json'

export class MarkFile implements MarkKeeper {
  private readonly file: string
  constructor(
    dataDir: string,
    private readonly origin: string,
    private readonly clock: () => number = Date.now,
  ) {
    this.file = join(dataDir, MARK_FILE)
  }

  /** The recorded mark, or null when there is none (a new data folder, or a log of another name). */
  load(): VerifiedMark | null {
    if (!existsSync(this.file)) return null
    const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as { origin?: string; size?: number; root?: string }
    if (parsed.origin !== this.origin) return null
    if (!Number.isSafeInteger(parsed.size) || parsed.size! < 0 || typeof parsed.root !== 'string' || !/^[0-9a-f]{64}$/.test(parsed.root)) {
      throw new Error(`${this.file} is not a mark this server wrote; move it aside to check the whole log`)
    }
    return { size: parsed.size!, root: fromHex(parsed.root) }
  }

  /** Written to a temporary file, flushed, then renamed over the old one: a crash leaves one or the other. */
  save(mark: VerifiedMark): void {
    const tmp = `${this.file}.tmp`
    const fd = openSync(tmp, 'w', 0o600)
    try {
      writeSync(fd, JSON.stringify({ origin: this.origin, size: mark.size, root: toHex(mark.root), savedAt: new Date(this.clock()).toISOString() }) + '\n')
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, this.file)
  }
}
