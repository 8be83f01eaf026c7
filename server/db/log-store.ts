import type { Database, Statement } from 'bun:sqlite'

export interface LogEntryRow {
  idx: number
  bytes: Uint8Array
  leaf: Uint8Array
}
export interface CheckpointRow {
  size: number
  note: string
  created_at: number
}
export interface LogKeyRow {
  vkey: string
  since_index: number
  created_at: number
}

/** SQL for the custody log aggregate: entries, Merkle nodes, checkpoints, key history. No rules here. */
export class LogStore {
  private readonly q: {
    tail: Statement<{ idx: number; leaf: Uint8Array }, []>
    insertEntry: Statement<unknown, [number, Uint8Array, Uint8Array, string, string | null, string | null, string]>
    insertNode: Statement<unknown, [number, number, Uint8Array]>
    node: Statement<{ hash: Uint8Array }, [number, number]>
    leaf: Statement<{ leaf: Uint8Array }, [number]>
    innerNodes: Statement<{ n: number }, []>
    innerNodesWithin: Statement<{ n: number }, [number]>
    nodesBeyondEntries: Statement<{ n: number }, []>
    levelNodes: Statement<{ idx: number; hash: Uint8Array }, [number, number, number]>
    entry: Statement<LogEntryRow, [number]>
    range: Statement<LogEntryRow, [number, number]>
    bySubject: Statement<{ idx: number }, [string, string]>
    latestCheckpoint: Statement<CheckpointRow, []>
    checkpointAtMost: Statement<CheckpointRow, [number]>
    checkpointOfSize: Statement<{ note: string }, [number]>
    insertCheckpoint: Statement<unknown, [number, string, number]>
    keys: Statement<LogKeyRow, []>
    insertKey: Statement<unknown, [string, number, number]>
  }

  constructor(readonly db: Database) {
    this.q = {
      tail: db.query('SELECT idx, leaf FROM log_entries ORDER BY idx DESC LIMIT 1'),
      insertEntry: db.query('INSERT INTO log_entries (idx, bytes, leaf, action, subject_type, subject_id, time) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      insertNode: db.query('INSERT INTO log_nodes (level, idx, hash) VALUES (?, ?, ?)'),
      node: db.query('SELECT hash FROM log_nodes WHERE level = ? AND idx = ?'),
      leaf: db.query('SELECT leaf FROM log_entries WHERE idx = ?'),
      innerNodes: db.query('SELECT count(*) AS n FROM log_nodes WHERE level > 0'),
      // (idx + 1) << level: the end of the leaves node (level, idx) covers.
      innerNodesWithin: db.query('SELECT count(*) AS n FROM log_nodes WHERE level > 0 AND ((idx + 1) << level) <= ?'),
      // One statement, so the entries' count and the nodes are read from one snapshot even while appends go on.
      nodesBeyondEntries: db.query(
        'SELECT count(*) AS n FROM log_nodes WHERE level > 0 AND ((idx + 1) << level) > (SELECT coalesce(max(idx) + 1, 0) FROM log_entries)',
      ),
      levelNodes: db.query('SELECT idx, hash FROM log_nodes WHERE level = ? AND idx >= ? ORDER BY idx LIMIT ?'),
      entry: db.query('SELECT idx, bytes, leaf FROM log_entries WHERE idx = ?'),
      range: db.query('SELECT idx, bytes, leaf FROM log_entries WHERE idx >= ? AND idx < ? ORDER BY idx'),
      bySubject: db.query('SELECT idx FROM log_entries WHERE subject_type = ? AND subject_id = ? ORDER BY idx'),
      latestCheckpoint: db.query('SELECT size, note, created_at FROM log_checkpoints ORDER BY size DESC LIMIT 1'),
      checkpointAtMost: db.query('SELECT size, note, created_at FROM log_checkpoints WHERE size <= ? ORDER BY size DESC LIMIT 1'),
      checkpointOfSize: db.query('SELECT note FROM log_checkpoints WHERE size = ?'),
      insertCheckpoint: db.query('INSERT OR IGNORE INTO log_checkpoints (size, note, created_at) VALUES (?, ?, ?)'),
      keys: db.query('SELECT vkey, since_index, created_at FROM log_keys ORDER BY since_index, created_at'),
      insertKey: db.query('INSERT INTO log_keys (vkey, since_index, created_at) VALUES (?, ?, ?)'),
    }
  }

  /** Number of entries and the last leaf hash (the next event's prev). */
  tail(): { size: number; lastLeaf: Uint8Array | null } {
    const row = this.q.tail.get()
    return row ? { size: row.idx + 1, lastLeaf: row.leaf } : { size: 0, lastLeaf: null }
  }

  insertEntry(idx: number, bytes: Uint8Array, leaf: Uint8Array, action: string, subject: { type: string; id: string } | null, time: string): void {
    this.q.insertEntry.run(idx, bytes, leaf, action, subject?.type ?? null, subject?.id ?? null, time)
  }

  /** Level-0 nodes are the leaf hashes already in log_entries: not stored twice (one row less per append). */
  insertNode(level: number, idx: number, hash: Uint8Array): void {
    if (level > 0) this.q.insertNode.run(level, idx, hash)
  }

  node(level: number, idx: number): Uint8Array | null {
    return level === 0 ? (this.q.leaf.get(idx)?.leaf ?? null) : (this.q.node.get(level, idx)?.hash ?? null)
  }

  /** The stored nodes of one level (above the leaves) in index order, in pages. */
  *nodesAtLevel(level: number, page = 5000): Generator<{ idx: number; hash: Uint8Array }> {
    for (let from = 0; ; ) {
      const rows = this.q.levelNodes.all(level, from, page)
      yield* rows
      if (rows.length < page) return
      from = rows[rows.length - 1]!.idx + 1
    }
  }

  /** Stored nodes above the leaves. */
  innerNodeCount(): number {
    return this.q.innerNodes.get()?.n ?? 0
  }

  /** Stored nodes above the leaves that lie within the first `size` entries. */
  innerNodeCountWithin(size: number): number {
    return this.q.innerNodesWithin.get(size)?.n ?? 0
  }

  /** Stored nodes that would cover entries not stored: none in a sound log. */
  nodeCountBeyondEntries(): number {
    return this.q.nodesBeyondEntries.get()?.n ?? 0
  }

  entry(idx: number): LogEntryRow | null {
    return this.q.entry.get(idx) ?? null
  }

  entries(start: number, end: number): LogEntryRow[] {
    return this.q.range.all(start, end)
  }

  /** Streams entries in index order in pages, so a million-entry log never sits in memory at once. */
  *iterate(from = 0, to = Number.MAX_SAFE_INTEGER, page = 5000): Generator<LogEntryRow> {
    for (let start = from; start < to; start += page) {
      const rows = this.q.range.all(start, Math.min(to, start + page))
      yield* rows
      if (rows.length < Math.min(page, to - start)) return
    }
  }

  indicesForSubject(type: string, id: string): number[] {
    return this.q.bySubject.all(type, id).map((r) => r.idx)
  }

  latestCheckpoint(): CheckpointRow | null {
    return this.q.latestCheckpoint.get() ?? null
  }

  /** The latest checkpoint over at most `size` entries. */
  checkpointAtMost(size: number): CheckpointRow | null {
    return this.q.checkpointAtMost.get(size) ?? null
  }

  /** The signed note of the checkpoint of exactly this size, if one was signed. */
  checkpointNote(size: number): string | null {
    return this.q.checkpointOfSize.get(size)?.note ?? null
  }

  insertCheckpoint(size: number, note: string, createdAt: number): void {
    this.q.insertCheckpoint.run(size, note, createdAt)
  }

  keys(): LogKeyRow[] {
    return this.q.keys.all()
  }

  insertKey(vkey: string, sinceIndex: number, createdAt: number): void {
    this.q.insertKey.run(vkey, sinceIndex, createdAt)
  }
}
