import type { Database, Statement } from 'bun:sqlite'

/** A member of the ticket key ring (public half; the private half is a file in the data folder). */
export interface TicketKeyRecord {
  keyId: string
  name: string
  publicKey: Uint8Array
  createdAt: number
  retiredAt: number | null
}

interface Row {
  key_id: string
  name: string
  public_key: Uint8Array
  created_at: number
  retired_at: number | null
}
const toRecord = (r: Row): TicketKeyRecord => ({
  keyId: r.key_id,
  name: r.name,
  publicKey: new Uint8Array(r.public_key),
  createdAt: r.created_at,
  retiredAt: r.retired_at,
})

/** SQL for the ticket key ring (which key signed which ticket is the ticket store's). No rules here. */
export class TicketKeyStore {
  private readonly q: {
    all: Statement<Row, []>
    insert: Statement<unknown, [string, string, Uint8Array, number]>
    retire: Statement<unknown, [number, string]>
  }

  constructor(db: Database) {
    this.q = {
      all: db.query('SELECT * FROM ticket_keys ORDER BY created_at, rowid'),
      insert: db.query('INSERT INTO ticket_keys (key_id, name, public_key, created_at) VALUES (?, ?, ?, ?)'),
      retire: db.query('UPDATE ticket_keys SET retired_at = ? WHERE key_id = ? AND retired_at IS NULL'),
    }
  }

  /** Every key, oldest first. */
  all(): TicketKeyRecord[] {
    return this.q.all.all().map(toRecord)
  }
  insert(k: TicketKeyRecord): void {
    this.q.insert.run(k.keyId, k.name, k.publicKey, k.createdAt)
  }
  retire(keyId: string, at: number): boolean {
    return this.q.retire.run(at, keyId).changes === 1
  }
}
