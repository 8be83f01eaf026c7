import { Database } from 'bun:sqlite'
import { describe, expect, test } from 'vitest'
import { migrate, migrationFiles } from '../server/db/_migrate.ts'
import { BatchStore } from '../server/db/batch-store.ts'

describe('migration 0008 keeps filings and announcements recorded before it readable', () => {
  test("an existing row's filing and publication dates become its recorded dates, with no documented date", () => {
    const db = new Database(':memory:')
    db.run('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)')
    for (const m of migrationFiles().filter((f) => f.version < 8)) {
      db.run(m.sql)
      db.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 0)', [m.version, m.name])
    }
    db.run("INSERT INTO occupations (code, name, hazardous, created_at) VALUES ('6-31-01-03', '电工', 1, 0)")
    db.run(`INSERT INTO batches (id, title, occupation_code, level, status, plan, exam_start_date, exam_end_date, filed_on, centre_reference, created_at, updated_at)
      VALUES ('b1', '旧批次', '6-31-01-03', 4, 'announced', '{"sessions":[],"changes":[]}', '2026-12-12', '2026-12-12', '2026-10-01', 'ref', 0, 0)`)
    db.run(`INSERT INTO announcements (id, batch_id, published_on, content, created_at) VALUES ('a1', 'b1', '2026-10-02', '{}', 0)`)
    migrate(db)
    const store = new BatchStore(db)
    expect(store.byId('b1')).toMatchObject({ filedOn: '2026-10-01', filedOnDocumented: null, centreReference: 'ref' })
    expect(store.announcement('a1')).toMatchObject({ publishedOn: '2026-10-02', publishedOnDocumented: null })
    // A documented date is kept only with its reference, in SQL too.
    expect(() => db.run("UPDATE batches SET filed_documented_on = '2026-09-30' WHERE id = 'b1'")).toThrow(/CHECK/)
  })
})
