import { describe, expect, test } from 'vitest'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './_sources.ts'

/**
 * A store runs SQL for its own aggregate only (STYLE.md: one place per aggregate); a service that needs two
 * aggregates asks both stores and combines them. Each store's tables are listed here.
 */
const OWNS: Record<string, readonly string[]> = {
  'batch-store.ts': ['batches', 'exam_sessions', 'announcements'],
  'calendar-store.ts': ['holiday_years'],
  // a person's earlier results (R7.3) and the salt of their hashed ID number belong with the candidates
  'candidate-store.ts': ['candidates', 'payments', 'candidate_attachments', 'subject_results', 'settings'],
  'cosignature-store.ts': ['log_cosignatures'],
  'key-share-store.ts': ['key_shares', 'key_ceremonies', 'key_ceremony_holders', 'paper_public_keys'],
  'leak-store.ts': ['leak_reports', 'custody_alerts'],
  'log-store.ts': ['log_entries', 'log_nodes', 'log_checkpoints', 'log_keys'],
  'occupation-store.ts': ['occupations', 'occupation_levels', 'subjects'],
  'packet-store.ts': ['packets', 'seal_numbers', 'handovers', 'custody_incidents', 'disposal_lists'],
  'paper-store.ts': ['papers', 'paper_files', 'print_jobs', 'custody_settings'],
  'rooms-store.ts': ['sites', 'rooms', 'session_rooms', 'seats', 'seating_runs', 'staff_assignments', 'inspection_items'],
  'security-store.ts': ['security_events'],
  'ticket-store.ts': ['tickets'],
  'user-store.ts': ['users', 'sessions', 'role_changes'],
}

/**
 * Reads of another aggregate's tables not yet moved to its store: read models that join for a list or a
 * printout. This list may only shrink (a pair no longer needed fails the test, so it is taken off).
 */
const NOT_YET_MOVED: readonly string[] = [
  // the registrar's list and the ticket's facts (R3.4) join the batch, its sessions, occupation and tickets
  'candidate-store.ts -> batches', 'candidate-store.ts -> exam_sessions', 'candidate-store.ts -> occupations',
  'candidate-store.ts -> subjects', 'candidate-store.ts -> tickets',
  // a witness cosigns the log's checkpoints
  'cosignature-store.ts -> log_checkpoints',
  // session details, rosters and seating read the batch, its sessions, occupation, candidates and tickets
  'rooms-store.ts -> batches', 'rooms-store.ts -> candidates', 'rooms-store.ts -> exam_sessions', 'rooms-store.ts -> occupations',
  'rooms-store.ts -> subjects', 'rooms-store.ts -> tickets',
  // issuing a ticket reads the candidate, their payment and the ticket key setting
  'ticket-store.ts -> candidates', 'ticket-store.ts -> payments', 'ticket-store.ts -> settings',
]

const DIR = join(ROOT, 'server/db')
const tablesOf = (file: string): Set<string> => {
  const sql = readFileSync(join(DIR, file), 'utf8')
  const out = new Set<string>()
  for (const m of sql.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE)\s+([a-z_]+)\b/g)) if (m[1] !== 'json_each') out.add(m[1]!)
  return out
}

describe('stores (server/db/*-store.ts)', () => {
  const stores = readdirSync(DIR).filter((f) => f.endsWith('-store.ts')).sort()

  test('every store is listed with the tables it owns, and no table has two owners', () => {
    expect(stores).toEqual(Object.keys(OWNS).sort())
    const owners = Object.values(OWNS).flat()
    expect(owners.length).toBe(new Set(owners).size)
  })

  test('a store runs SQL for its own aggregate only (the unmoved reads are listed, and the list only shrinks)', () => {
    const found: string[] = []
    for (const f of stores) for (const t of tablesOf(f)) if (!OWNS[f]!.includes(t)) found.push(`${f} -> ${t}`)
    expect(found.sort()).toEqual([...NOT_YET_MOVED].sort())
  })
})
