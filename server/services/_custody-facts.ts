import type { Role } from '../domain/accounts/index.ts'
import type { CustodySettings, Paper } from '../domain/custody/index.ts'
import type { ExamSessionStatus } from '../domain/lifecycle/index.ts'
import type { BatchStore } from '../db/batch-store.ts'
import type { PaperStore } from '../db/paper-store.ts'
import type { RoomsStore } from '../db/rooms-store.ts'
import type { UserStore } from '../db/user-store.ts'

/** The slice of an exam session custody reads. */
export interface SessionFacts {
  id: string
  batchId: string
  startsAt: number
  endsAt: number
  status: string
}

/** An account as a custody step sees it: who, in which roles, and whether it may still act. */
export interface AccountFacts {
  id: string
  username: string
  roles: Role[]
  disabled: boolean
}

/**
 * The facts of other aggregates a packet decision reads (its paper, the session's start and batch settings,
 * the room's invigilators, an account by username), each read from the store that owns it: a store runs SQL
 * for its own aggregate only, and the services combine them here.
 */
export interface CustodyFacts {
  paper(id: string): Paper | null
  /** Every print job of a paper, printed or not (their events touched the paper: R5.4 trace, reports). */
  printJobIdsOf(paperId: string): string[]
  session(id: string): SessionFacts | null
  /** The batch's custody settings (the defaults when it has none). */
  settings(batchId: string): CustodySettings
  /** Account ids of the invigilators assigned to the room for the session (R4.3), sorted. */
  roomInvigilators(sessionId: string, roomId: string): string[]
  /** The (session, room) pairs a user invigilates: what an invigilator may see of custody. */
  invigilatedRooms(userId: string): Array<{ sessionId: string; roomId: string }>
  account(username: string): AccountFacts | null
  /** A session's papers, by kind then id. */
  papersOfSession(sessionId: string): Paper[]
}

/** What a leak decision changes of other aggregates (R5.4: papers frozen, sessions suspended), through their own stores. */
export interface CustodyWrites {
  savePaper(p: Paper): void
  setSessionStatus(sessionId: string, status: ExamSessionStatus, at: number): void
}

export function custodyWrites(stores: { papers: Pick<PaperStore, 'updatePaper'>; batches: Pick<BatchStore, 'session' | 'updateSession'> }): CustodyWrites {
  return {
    savePaper: (p) => stores.papers.updatePaper(p),
    setSessionStatus: (sessionId, status, at) => {
      const s = stores.batches.session(sessionId)
      if (!s) throw new Error(`exam session ${sessionId} does not exist`)
      stores.batches.updateSession({ ...s, status, updatedAt: at })
    },
  }
}

export function custodyFacts(stores: {
  papers: Pick<PaperStore, 'paper' | 'jobsOfPaper' | 'settings' | 'papersOfSession'>
  batches: Pick<BatchStore, 'session'>
  rooms: Pick<RoomsStore, 'staff' | 'staffOfUser'>
  users: Pick<UserStore, 'byUsername'>
}): CustodyFacts {
  const { papers, batches, rooms, users } = stores
  return {
    paper: (id) => papers.paper(id),
    printJobIdsOf: (paperId) =>
      papers
        .jobsOfPaper(paperId)
        .map((j) => j.id)
        .sort(),
    session: (id) => {
      const s = batches.session(id)
      return s && { id: s.id, batchId: s.batchId, startsAt: s.startsAt, endsAt: s.endsAt, status: s.status }
    },
    settings: (batchId) => papers.settings(batchId),
    roomInvigilators: (sessionId, roomId) =>
      [
        ...new Set(
          rooms
            .staff(sessionId)
            .filter((a) => a.roomId === roomId && a.duty === 'invigilator')
            .map((a) => a.userId),
        ),
      ].sort(),
    invigilatedRooms: (userId) => {
      const seen = new Map<string, { sessionId: string; roomId: string }>()
      for (const a of rooms.staffOfUser(userId)) {
        if (a.duty === 'invigilator' && a.roomId !== null) seen.set(`${a.examSessionId} ${a.roomId}`, { sessionId: a.examSessionId, roomId: a.roomId })
      }
      return [...seen.values()]
    },
    papersOfSession: (sessionId) =>
      papers.papersOfSession(sessionId).sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    account: (username) => {
      const found = users.byUsername(username)
      return found && { id: found.user.id, username: found.user.username, roles: found.user.roles, disabled: found.user.disabled }
    },
  }
}
