// A witness's memory: per log origin, the last checkpoint it cosigned, one small JSON file each, replaced
// atomically (write a temporary file, fsync it, rename, fsync the folder) BEFORE the cosignature is sent,
// so a crash can never make the witness forget a size it vouched for (c2sp.org/tlog-witness).
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { fromBase64, sha256, toBase64, toHex, utf8 } from '../../crypto/index.ts'
import type { WitnessRecord } from './_rules.ts'

export interface StoredRecord extends WitnessRecord {
  origin: string
  note: string
  at: string
}

/** Where a witness keeps its records; a test may hold them in memory. */
export interface WitnessState {
  get(origin: string): WitnessRecord | null
  /** Must be durable when it returns. */
  put(record: StoredRecord): void
  all(): StoredRecord[]
}

export class MemoryWitnessState implements WitnessState {
  private readonly records = new Map<string, StoredRecord>()
  get(origin: string): WitnessRecord | null {
    return this.records.get(origin) ?? null
  }
  put(record: StoredRecord): void {
    this.records.set(record.origin, { ...record })
  }
  all(): StoredRecord[] {
    return [...this.records.values()]
  }
}

/** Writes `text` to `file` so that either the old or the new content survives a crash. */
export function writeFileDurably(file: string, text: string): void {
  const tmp = `${file}.tmp`
  const fd = openSync(tmp, 'w', 0o600)
  try {
    writeSync(fd, utf8(text))
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, file)
  const dir = openSync(join(file, '..'), 'r')
  try {
    fsyncSync(dir)
  } finally {
    closeSync(dir)
  }
}

/** DIR/state/<sha256(origin)>.json per log. */
export class FileWitnessState implements WitnessState {
  private readonly dir: string
  private readonly cache = new Map<string, StoredRecord>()

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'state')
    mkdirSync(this.dir, { recursive: true, mode: 0o700 })
    for (const f of readdirSync(this.dir)) {
      if (!f.endsWith('.json')) continue
      const raw = JSON.parse(readFileSync(join(this.dir, f), 'utf8')) as { origin: string; size: number; root: string; note: string; at: string }
      if (f !== this.fileName(raw.origin)) throw new Error(`${f}: not the state file of ${raw.origin}`)
      this.cache.set(raw.origin, { ...raw, root: fromBase64(raw.root) })
    }
  }

  private fileName(origin: string): string {
    return `${toHex(sha256(utf8(origin))).slice(0, 32)}.json`
  }

  get(origin: string): WitnessRecord | null {
    return this.cache.get(origin) ?? null
  }

  put(record: StoredRecord): void {
    const file = join(this.dir, this.fileName(record.origin))
    writeFileDurably(file, JSON.stringify({ ...record, root: toBase64(record.root) }) + '\n')
    this.cache.set(record.origin, { ...record })
  }

  all(): StoredRecord[] {
    return [...this.cache.values()]
  }
}
