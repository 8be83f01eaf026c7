import type { Database, Statement } from 'bun:sqlite'

/** A failed or refused login or witness check (decision 005): not a custody event. */
export interface SecurityEvent {
  id: number
  time: number
  kind: string
  username: string
  address: string
  outcome: string
}

/** Rows kept; past it the oldest are deleted (checked every PRUNE_EVERY inserts). */
export const SECURITY_EVENTS_KEPT = 100_000
const PRUNE_EVERY = 500

/** SQL for the security record (security_events). */
export class SecurityStore {
  private inserts = 0
  private readonly q: {
    insert: Statement<unknown, [number, string, string, string, string]>
    recent: Statement<SecurityEvent, [number, number]>
    prune: Statement<unknown, [number]>
  }

  constructor(
    db: Database,
    private readonly kept = SECURITY_EVENTS_KEPT,
  ) {
    this.q = {
      insert: db.query('INSERT INTO security_events (time, kind, username, address, outcome) VALUES (?, ?, ?, ?, ?)'),
      recent: db.query('SELECT * FROM security_events WHERE time >= ? ORDER BY id DESC LIMIT ?'),
      prune: db.query('DELETE FROM security_events WHERE id <= (SELECT max(id) FROM security_events) - ?'),
    }
  }

  record(e: Omit<SecurityEvent, 'id'>): void {
    this.q.insert.run(e.time, e.kind, e.username.slice(0, 64), e.address.slice(0, 64), e.outcome)
    if (++this.inserts % PRUNE_EVERY === 0) this.q.prune.run(this.kept)
  }

  /** The newest events since `since` (ms), newest first. */
  recent(since: number, limit: number): SecurityEvent[] {
    return this.q.recent.all(since, limit)
  }
}
