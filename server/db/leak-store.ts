import type { Database, Statement } from 'bun:sqlite'
import type { LeakReport, LeakState } from '../domain/custody/index.ts'

/**
 * SQL for what supervisors watch (R5.4): leak reports and custody alerts. No rules here. The two changes a leak
 * makes outside its own rows (a paper's state, a session's status) go through the paper and batch stores.
 */

/** A supervisor alert (custody_alerts): points at the custody event that raised it. */
export interface CustodyAlert {
  id: string
  kind: string
  logIndex: number
  subjectType: string
  subjectId: string
  createdAt: number
  acknowledgedBy: string | null
  acknowledgedAt: number | null
}

interface DocRow {
  doc: string
}
interface AlertRow {
  id: string
  kind: string
  log_index: number
  subject_type: string
  subject_id: string
  created_at: number
  acknowledged_by: string | null
  acknowledged_at: number | null
}

const toAlert = (r: AlertRow): CustodyAlert => ({
  id: r.id,
  kind: r.kind,
  logIndex: r.log_index,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
  createdAt: r.created_at,
  acknowledgedBy: r.acknowledged_by,
  acknowledgedAt: r.acknowledged_at,
})

export class LeakStore {
  private readonly q: {
    leak: Statement<DocRow, [string]>
    leaks: Statement<DocRow, [string | null, string | null]>
    leaksOfSession: Statement<DocRow, [string]>
    insertLeak: Statement<unknown, [string, string, string, string, number]>
    updateLeak: Statement<unknown, [string, string, number, string]>
    alert: Statement<AlertRow, [string]>
    alerts: Statement<AlertRow, [number]>
    insertAlert: Statement<unknown, [string, string, number, string, string, number]>
    acknowledge: Statement<unknown, [string, number, string]>
  }

  constructor(db: Database) {
    this.q = {
      leak: db.query('SELECT doc FROM leak_reports WHERE id = ?'),
      leaks: db.query(`SELECT doc FROM leak_reports WHERE (?1 IS NULL OR paper_id = ?1) AND (?2 IS NULL OR state = ?2)
        ORDER BY json_extract(doc, '$.filedAt') DESC, id`),
      leaksOfSession: db.query(`SELECT doc FROM leak_reports WHERE json_extract(doc, '$.examSessionId') = ? ORDER BY json_extract(doc, '$.filedAt'), id`),
      insertLeak: db.query('INSERT INTO leak_reports (id, paper_id, state, doc, updated_at) VALUES (?, ?, ?, ?, ?)'),
      updateLeak: db.query('UPDATE leak_reports SET state = ?, doc = ?, updated_at = ? WHERE id = ?'),
      alert: db.query('SELECT * FROM custody_alerts WHERE id = ?'),
      alerts: db.query('SELECT * FROM custody_alerts WHERE (?1 = 0 OR acknowledged_at IS NULL) ORDER BY log_index DESC'),
      insertAlert: db.query('INSERT INTO custody_alerts (id, kind, log_index, subject_type, subject_id, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
      acknowledge: db.query('UPDATE custody_alerts SET acknowledged_by = ?, acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL'),
    }
  }

  // ---------- leak reports ----------

  leak(id: string): LeakReport | null {
    const r = this.q.leak.get(id)
    return r ? (JSON.parse(r.doc) as LeakReport) : null
  }
  leaks(f: { paperId?: string; state?: LeakState } = {}): LeakReport[] {
    return this.q.leaks.all(f.paperId ?? null, f.state ?? null).map((r) => JSON.parse(r.doc) as LeakReport)
  }
  leaksOfSession(sessionId: string): LeakReport[] {
    return this.q.leaksOfSession.all(sessionId).map((r) => JSON.parse(r.doc) as LeakReport)
  }
  insertLeak(l: LeakReport): void {
    this.q.insertLeak.run(l.id, l.paperId, l.state, JSON.stringify(l), l.filedAt)
  }
  saveLeak(l: LeakReport, at: number): void {
    this.q.updateLeak.run(l.state, JSON.stringify(l), at, l.id)
  }

  // ---------- what a leak changes elsewhere ----------

  // ---------- alerts ----------

  alert(id: string): CustodyAlert | null {
    const r = this.q.alert.get(id)
    return r ? toAlert(r) : null
  }
  alerts(onlyOpen: boolean): CustodyAlert[] {
    return this.q.alerts.all(onlyOpen ? 1 : 0).map(toAlert)
  }
  insertAlert(a: Omit<CustodyAlert, 'acknowledgedBy' | 'acknowledgedAt'>): void {
    this.q.insertAlert.run(a.id, a.kind, a.logIndex, a.subjectType, a.subjectId, a.createdAt)
  }
  /** Marks an open alert acknowledged; false when it already was. */
  acknowledge(id: string, by: string, at: number): boolean {
    return this.q.acknowledge.run(by, at, id).changes > 0
  }
}
