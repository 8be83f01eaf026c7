import type { Database } from 'bun:sqlite'
import { BatchStore } from '../db/batch-store.ts'
import { CalendarStore } from '../db/calendar-store.ts'
import { CandidateStore } from '../db/candidate-store.ts'
import { OccupationStore } from '../db/occupation-store.ts'
import { RoomsStore } from '../db/rooms-store.ts'
import { TicketStore } from '../db/ticket-store.ts'
import { Batches } from './batches.ts'
import { CalendarAdmin } from './calendar.ts'
import { type CandidateForTicket, Candidates } from './candidates.ts'
import type { CustodyLog } from './custody-log.ts'
import { Occupations } from './occupations.ts'

export type { BatchView } from './batches.ts'
export type { CalendarYear } from './calendar.ts'
export { residentIdHash, type CandidateForTicket, type CandidateSummary, type CandidateView, type DeskRegistration, type ImportOutcome } from './candidates.ts'

/**
 * The exam lifecycle, one object on `Services`: occupations, the working-day calendar,
 * batch plans with sessions and announcements, and candidates with review and fees.
 */
export class Lifecycle {
  readonly occupations: Occupations
  readonly calendar: CalendarAdmin
  readonly batches: Batches
  readonly candidates: Candidates

  constructor(db: Database, log: CustodyLog, clock: () => number) {
    const occupationStore = new OccupationStore(db)
    const batchStore = new BatchStore(db)
    this.occupations = new Occupations(db, occupationStore, log, clock, batchStore)
    this.calendar = new CalendarAdmin(db, new CalendarStore(db), log, clock)
    this.batches = new Batches(db, batchStore, occupationStore, this.calendar, log, clock, new RoomsStore(db))
    this.candidates = new Candidates(db, new CandidateStore(db), batchStore, occupationStore, new TicketStore(db), log, clock)
  }

  /** For seating and tickets: the approved, paid candidates who sit this exam session (a retake candidate only their failed subjects). */
  paidCandidatesOfSession(examSessionId: string): Array<{ id: string; trainingUnit: string | null }> {
    return this.candidates.paidCandidatesOfSession(examSessionId)
  }

  /** For rosters: the names of these candidates (null once erased); an unknown id is left out. */
  candidateNames(ids: readonly string[]): Map<string, string | null> {
    return this.candidates.namesOf(ids)
  }

  /** For tickets: what the admission ticket of this candidate prints, and whether it may be issued (approved and paid). */
  candidateForTicket(id: string): CandidateForTicket | null {
    return this.candidates.candidateForTicket(id)
  }
}
