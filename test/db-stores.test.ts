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
  // signing keys, the certifying body's details, approvals, the certificates issued and their reissues (R8)
  'certificate-store.ts': ['certificate_keys', 'certificate_body', 'certificate_approvals', 'certificates', 'certificate_reissues'],
  // a person's earlier results (R7.3) and the salt of their hashed ID number belong with the candidates
  'candidate-store.ts': ['candidates', 'payments', 'candidate_attachments', 'subject_results', 'settings'],
  'cosignature-store.ts': ['log_cosignatures'],
  'kiosk-device-store.ts': ['kiosk_enrolments', 'kiosk_devices'],
  // what door tablets send (011): records by client id, admissions, conflicts; and the room's own records
  'kiosk-record-store.ts': ['kiosk_records', 'admissions', 'kiosk_conflicts'],
  'kiosk-room-store.ts': ['kiosk_incidents', 'kiosk_seized_items', 'kiosk_incident_confirmations', 'kiosk_score_sheets'],
  'key-share-store.ts': ['key_shares', 'key_ceremonies', 'key_ceremony_holders', 'paper_public_keys'],
  'leak-store.ts': ['leak_reports', 'custody_alerts'],
  'log-store.ts': ['log_entries', 'log_nodes', 'log_checkpoints', 'log_keys'],
  'occupation-store.ts': ['occupations', 'occupation_levels', 'subjects'],
  'packet-store.ts': ['packets', 'seal_numbers', 'handovers', 'custody_incidents', 'disposal_lists'],
  'paper-store.ts': ['papers', 'paper_files', 'print_jobs', 'custody_settings'],
  // publications, the published snapshot, reviews (核查) and their steps (R7.2, R7.3)
  'results-store.ts': ['result_publications', 'published_results', 'result_reviews', 'result_review_steps'],
  'rooms-store.ts': ['sites', 'rooms', 'session_rooms', 'seats', 'seating_runs', 'staff_assignments', 'inspection_items'],
  // score imports, tallies with their events and lines, and the review changes awaiting a second person (R7.1)
  'score-store.ts': ['score_imports', 'score_tallies', 'score_tally_events', 'score_lines', 'score_review_changes'],
  'security-store.ts': ['security_events'],
  'ticket-key-store.ts': ['ticket_keys'],
  'ticket-store.ts': ['tickets'],
  'user-store.ts': ['users', 'sessions', 'role_changes'],
}

/**
 * Read models (server/db/read-models/*.ts): joins across aggregates that a list or a printout shows by name.
 * Each is listed with the tables it reads; a read model never writes.
 */
const READ_MODELS: Record<string, readonly string[]> = {
  // an exam session with its batch's title and level, its subject and its occupation (rooms, papers, tickets)
  'session-info.ts': ['exam_sessions', 'batches', 'subjects', 'occupations'],
  // what the door tablets recorded of a session: signed score sheets, admissions, incidents and their confirmations
  'kiosk-score-facts.ts': ['kiosk_score_sheets', 'admissions', 'kiosk_incidents', 'kiosk_incident_confirmations'],
  // the batches results concern (exam over), with their occupation's name
  'result-facts.ts': ['batches', 'occupations'],
  // what scores read: the batch, sessions and subjects, approved candidates, live tickets, earlier results (R7.3)
  'score-facts.ts': ['batches', 'occupations', 'exam_sessions', 'subjects', 'candidates', 'tickets', 'subject_results'],
  // per-batch counts for the statistics report: registered, approved, paid, sat, incidents, confirmed leaks
  'statistics.ts': ['batches', 'occupations', 'candidates', 'payments', 'admissions', 'exam_sessions', 'kiosk_incidents', 'leak_reports', 'papers'],
}

const DIR = join(ROOT, 'server/db')
const tablesOf = (file: string, dir = DIR): Set<string> => {
  const sql = readFileSync(join(dir, file), 'utf8')
  const out = new Set<string>()
  for (const m of sql.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE)\s+([a-z_]+)\b/g)) if (m[1] !== 'json_each') out.add(m[1]!)
  return out
}

describe('stores (server/db/*-store.ts)', () => {
  const stores = readdirSync(DIR)
    .filter((f) => f.endsWith('-store.ts'))
    .sort()

  test('every store is listed with the tables it owns, and no table has two owners', () => {
    expect(stores).toEqual(Object.keys(OWNS).sort())
    const owners = Object.values(OWNS).flat()
    expect(owners.length).toBe(new Set(owners).size)
  })

  test('a store runs SQL for its own aggregate only', () => {
    const found: string[] = []
    for (const f of stores) for (const t of tablesOf(f)) if (!OWNS[f]!.includes(t)) found.push(`${f} -> ${t}`)
    expect(found).toEqual([])
  })

  test('a read model is listed with the tables it joins, and only reads them', () => {
    const dir = join(DIR, 'read-models')
    const models = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .sort()
    expect(models).toEqual(Object.keys(READ_MODELS).sort())
    const owned = new Set(Object.values(OWNS).flat())
    for (const f of models) {
      expect([...tablesOf(f, dir)].sort(), f).toEqual([...READ_MODELS[f]!].sort())
      for (const t of READ_MODELS[f]!) expect(owned.has(t), `${f} reads ${t}, which no store owns`).toBe(true)
      expect(readFileSync(join(dir, f), 'utf8'), f).not.toMatch(/\b(INSERT|UPDATE|DELETE|REPLACE)\b/i)
    }
  })
})
