/**
 * Recorded dates (docs/decisions/007-recorded-dates-and-personal-data.md). The date an act is recorded
 * is the server's date; deadlines (R2.1, R2.3) count from it. A different date that a document gives
 * (the municipal centre's own filing date, a publication elsewhere) is kept beside it only with that
 * document's reference, never after today and never before the plan existed.
 */
import { isCivilDate } from '../calendar/index.ts'
import type { CivilDate, DocumentedDate } from './_types.ts'

/** What a form may send beside the act: the documented date and its reference. */
export interface DocumentedInput {
  documentedOn?: CivilDate
  documentReference?: string
}

export type DocumentedProblem =
  | { kind: 'invalid'; field: string; message: string }
  | { kind: 'future' }
  | { kind: 'unreferenced' }
  | { kind: 'before_plan'; earliest: CivilDate }

/**
 * The documented date of an act recorded `today`, or null when there is none (no date, or today's date
 * without a reference). `earliest` is the day the plan was created.
 */
export function documentedDate(
  input: DocumentedInput,
  today: CivilDate,
  earliest: CivilDate,
): { ok: true; value: DocumentedDate | null } | { ok: false; problem: DocumentedProblem } {
  const reference = (input.documentReference ?? '').trim()
  const date = input.documentedOn
  if (date === undefined) {
    return reference === ''
      ? { ok: true, value: null }
      : { ok: false, problem: { kind: 'invalid', field: 'documentedOn', message: 'a document reference needs the date the document gives' } }
  }
  if (!isCivilDate(date)) return { ok: false, problem: { kind: 'invalid', field: 'documentedOn', message: 'expected a date YYYY-MM-DD' } }
  if ([...reference].length > 100) return { ok: false, problem: { kind: 'invalid', field: 'documentReference', message: 'at most 100 characters' } }
  if (date > today) return { ok: false, problem: { kind: 'future' } }
  if (date === today && reference === '') return { ok: true, value: null }
  if (reference === '') return { ok: false, problem: { kind: 'unreferenced' } }
  if (date < earliest) return { ok: false, problem: { kind: 'before_plan', earliest } }
  return { ok: true, value: { date, reference } }
}
