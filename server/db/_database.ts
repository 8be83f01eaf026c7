import { Database } from 'bun:sqlite'
import { migrate } from './_migrate.ts'

/**
 * Opens the store: WAL, synchronous=FULL so that an acknowledged commit survives a power cut
 * (DEVELOPERS.md: nothing acknowledged is lost), foreign keys on, migrations applied.
 */
export function openDatabase(path: string): Database {
  const db = new Database(path, { create: true, strict: true })
  db.run('PRAGMA journal_mode = WAL')
  db.run('PRAGMA synchronous = FULL')
  db.run('PRAGMA foreign_keys = ON')
  db.run('PRAGMA busy_timeout = 5000')
  migrate(db)
  return db
}

/** Runs fn in one BEGIN IMMEDIATE transaction: the change and its custody event commit together or not at all. */
export function inTransaction<T>(db: Database, fn: () => T): T {
  return db.transaction(fn).immediate()
}
