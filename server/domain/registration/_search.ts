/**
 * How the registrar's candidate list reads a search (decision 007: lists are masked). One box finds a
 * candidate by name, training unit, admission ticket number or the last digits of the resident ID
 * number, the part a masked list shows. A whole ID number finds its holder only for a role that may
 * read ID numbers in full (the registrar): for anyone else a match would confirm the hidden digits.
 */

/** Statuses and payment states the list filters by. */
export const CANDIDATE_FILTERS = ['registered', 'approved', 'rejected', 'withdrawn', 'paid', 'unpaid'] as const
export type CandidateFilter = (typeof CANDIDATE_FILTERS)[number]

/** How many trailing characters of an ID number a masked list shows (see maskResidentId). */
export const VISIBLE_ID_TAIL = 4

export interface CandidateQuery {
  /** Matched as a substring of the name and the training unit. */
  text: string
  /** The last 1–4 characters of the ID number: what a masked list shows anyway. */
  idTail: string | null
  /** A whole 18-character ID number (normalised), only for a role that may read it. */
  fullId: string | null
  /** An admission ticket number, matched exactly (upper-cased). */
  ticket: string | null
}

/** `readCandidateQuery('0015', false)` → `{ text: '0015', idTail: '0015', fullId: null, ticket: '0015' }`. */
export function readCandidateQuery(raw: string | undefined, mayReadFullId: boolean): CandidateQuery | null {
  const text = (raw ?? '').normalize('NFKC').trim()
  if (text === '') return null
  const compact = text.replace(/\s+/g, '').toUpperCase()
  return {
    text,
    idTail: /^[0-9X]+$/.test(compact) && compact.length <= VISIBLE_ID_TAIL ? compact : null,
    fullId: mayReadFullId && /^\d{17}[\dX]$/.test(compact) ? compact : null,
    ticket: compact,
  }
}
