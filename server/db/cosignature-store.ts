import type { Database, Statement } from 'bun:sqlite'

export interface CosignatureRow {
  size: number
  witness: string
  line: string
  time: number
  received_at: number
}

/** SQL for witnesses' cosignatures on checkpoints (append-only). No rules here. */
export class CosignatureStore {
  private readonly q: {
    insert: Statement<unknown, [number, string, string, number, number]>
    forSize: Statement<CosignatureRow, [number]>
    latestBy: Statement<CosignatureRow, [string]>
  }

  constructor(db: Database) {
    this.q = {
      insert: db.query('INSERT OR IGNORE INTO log_cosignatures (size, witness, line, time, received_at) VALUES (?, ?, ?, ?, ?)'),
      forSize: db.query('SELECT size, witness, line, time, received_at FROM log_cosignatures WHERE size = ? ORDER BY received_at, witness'),
      latestBy: db.query('SELECT size, witness, line, time, received_at FROM log_cosignatures WHERE witness = ? ORDER BY size DESC LIMIT 1'),
    }
  }

  insert(size: number, witness: string, line: string, time: number, receivedAt: number): void {
    this.q.insert.run(size, witness, line, time, receivedAt)
  }

  forSize(size: number): CosignatureRow[] {
    return this.q.forSize.all(size)
  }

  /** The largest checkpoint this witness cosigned. */
  latestBy(witness: string): CosignatureRow | null {
    return this.q.latestBy.get(witness) ?? null
  }
}
