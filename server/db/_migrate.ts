import type { Database } from 'bun:sqlite'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const DIR = fileURLToPath(new URL('./migrations/', import.meta.url))

/**
 * Numbered, forward-only migrations: migrations/NNNN_name.sql, applied in order, each in its own
 * transaction with its row in schema_migrations. Add new files; never edit an applied one.
 */
export function migrationFiles(): Array<{ version: number; name: string; sql: string }> {
  return readdirSync(DIR)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 4)), name: f.replace(/\.sql$/, ''), sql: readFileSync(DIR + f, 'utf8') }))
}

export function migrate(db: Database): number {
  db.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)')
  const applied = new Set(
    db
      .query<{ version: number }, []>('SELECT version FROM schema_migrations')
      .all()
      .map((r) => r.version),
  )
  const files = migrationFiles()
  const known = files[files.length - 1]?.version ?? 0
  const newest = Math.max(0, ...applied)
  if (newest > known) throw new Error(`database schema version ${newest} is newer than this program knows (${known}); refusing to run`)
  let count = 0
  for (const m of files) {
    if (applied.has(m.version)) continue
    db.transaction(() => {
      db.run(m.sql)
      db.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, Date.now()])
    }).immediate()
    count++
  }
  return count
}
