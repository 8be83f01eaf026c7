import type { Database, Statement } from 'bun:sqlite'
import type { Level, Occupation, Subject, SubjectKind } from '../domain/lifecycle/index.ts'

interface OccupationRow {
  code: string
  name: string
  hazardous: number
  created_at: number
}
interface LevelRow {
  occupation_code: string
  level: number
  conditions: string
}
interface SubjectRow {
  id: string
  occupation_code: string
  level: number
  kind: string
  name: string
  pass_mark: number
  max_mark: number
}

const toSubject = (r: SubjectRow): Subject => ({ id: r.id, kind: r.kind as SubjectKind, name: r.name, passMark: r.pass_mark, maxMark: r.max_mark })

/** SQL for occupations (职业/工种), their levels and subjects. */
export class OccupationStore {
  private readonly q: {
    all: Statement<OccupationRow, []>
    byCode: Statement<OccupationRow, [string]>
    levels: Statement<LevelRow, [string]>
    subjects: Statement<SubjectRow, [string]>
    subject: Statement<SubjectRow, [string]>
    insert: Statement<unknown, [string, string, number, number]>
    update: Statement<unknown, [string, number, string]>
    upsertLevel: Statement<unknown, [string, number, string]>
    upsertSubject: Statement<unknown, [string, string, number, string, string, number, number]>
    deleteSubject: Statement<unknown, [string]>
    deleteLevel: Statement<unknown, [string, number]>
  }

  constructor(db: Database) {
    this.q = {
      all: db.query('SELECT * FROM occupations ORDER BY code'),
      byCode: db.query('SELECT * FROM occupations WHERE code = ?'),
      levels: db.query('SELECT * FROM occupation_levels WHERE occupation_code = ? ORDER BY level DESC'),
      subjects: db.query(
        "SELECT * FROM subjects WHERE occupation_code = ? ORDER BY level DESC, CASE kind WHEN 'theory' THEN 0 WHEN 'practical' THEN 1 ELSE 2 END",
      ),
      subject: db.query('SELECT * FROM subjects WHERE id = ?'),
      insert: db.query('INSERT INTO occupations (code, name, hazardous, created_at) VALUES (?, ?, ?, ?)'),
      update: db.query('UPDATE occupations SET name = ?, hazardous = ? WHERE code = ?'),
      upsertLevel: db.query(
        'INSERT INTO occupation_levels (occupation_code, level, conditions) VALUES (?, ?, ?) ON CONFLICT (occupation_code, level) DO UPDATE SET conditions = excluded.conditions',
      ),
      upsertSubject: db.query(`INSERT INTO subjects (id, occupation_code, level, kind, name, pass_mark, max_mark) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, pass_mark = excluded.pass_mark, max_mark = excluded.max_mark`),
      deleteSubject: db.query('DELETE FROM subjects WHERE id = ?'),
      deleteLevel: db.query('DELETE FROM occupation_levels WHERE occupation_code = ? AND level = ?'),
    }
  }

  all(): Occupation[] {
    return this.q.all.all().map((r) => this.assemble(r))
  }
  byCode(code: string): Occupation | null {
    const r = this.q.byCode.get(code)
    return r ? this.assemble(r) : null
  }

  /** A subject with the occupation and level it belongs to. */
  subject(id: string): { subject: Subject; occupationCode: string; level: Level } | null {
    const r = this.q.subject.get(id)
    return r ? { subject: toSubject(r), occupationCode: r.occupation_code, level: r.level as Level } : null
  }

  insert(o: Occupation): void {
    this.q.insert.run(o.code, o.name, o.hazardous ? 1 : 0, o.createdAt)
    this.writeLevels(o, null)
  }

  /** Replaces the definition: levels and subjects not in `o` are deleted (the domain checked none is in use). */
  replace(o: Occupation, before: Occupation): void {
    this.q.update.run(o.name, o.hazardous ? 1 : 0, o.code)
    this.writeLevels(o, before)
  }

  private writeLevels(o: Occupation, before: Occupation | null): void {
    const keep = new Set(o.levels.flatMap((l) => l.subjects.map((s) => s.id)))
    for (const l of before?.levels ?? []) for (const s of l.subjects) if (!keep.has(s.id)) this.q.deleteSubject.run(s.id)
    for (const l of o.levels) {
      this.q.upsertLevel.run(o.code, l.level, l.conditions)
      for (const s of l.subjects) this.q.upsertSubject.run(s.id, o.code, l.level, s.kind, s.name, s.passMark, s.maxMark)
    }
    const levels = new Set<number>(o.levels.map((l) => l.level))
    for (const l of before?.levels ?? []) if (!levels.has(l.level)) this.q.deleteLevel.run(o.code, l.level)
  }

  private assemble(r: OccupationRow): Occupation {
    const subjects = this.q.subjects.all(r.code)
    return {
      code: r.code,
      name: r.name,
      hazardous: r.hazardous === 1,
      createdAt: r.created_at,
      levels: this.q.levels.all(r.code).map((l) => ({
        level: l.level as Level,
        conditions: l.conditions,
        subjects: subjects.filter((s) => s.level === l.level).map(toSubject),
      })),
    }
  }
}
