/**
 * An admission recorded at a door, judged again by the server (decision 011, "Verdicts"). The kiosk decided
 * offline; the server never undoes it but says which verdict it would have given online, in the kiosk's own
 * order. The signature checks (malformed, unknown_key, forged) were the kiosk's; the server knows the ticket
 * by its number, so a number it never issued to that candidate reads as `forged`.
 */

/** Doors open this long before the start; a candidate is late after this long past it (what the ticket says). */
export const DOORS_OPEN_BEFORE_MS = 30 * 60_000
export const LATE_AFTER_MS = 15 * 60_000

export const doorsOpenAt = (startsAt: number): number => startsAt - DOORS_OPEN_BEFORE_MS
export const lateUntil = (startsAt: number): number => startsAt + LATE_AFTER_MS

/** The server-side verdicts, in the contract's order (after the kiosk's signature checks). */
export const ADMISSION_REFUSALS = [
  'forged',
  'revoked',
  'wrong_session',
  'suspended',
  'wrong_room',
  'not_on_roster',
  'too_early',
  'too_late',
  'already_admitted',
] as const
export type AdmissionRefusal = (typeof ADMISSION_REFUSALS)[number]

export interface AdmissionClaim {
  ticketNumber: string
  candidateId: string
  sessionId: string
  roomId: string
  deviceId: string
  /** The kiosk's clock when it admitted. */
  at: number
}

export interface AdmissionFacts {
  /** The ticket the server issued under that number, or null. */
  ticket: { candidateId: string; sessionId: string; roomId: string; revoked: boolean } | null
  session: { status: string; startsAt: number }
  /** Whether the candidate is seated in the record's room for the session. */
  seatedHere: boolean
  /** Admissions of this candidate in this session the server already holds, oldest first. */
  earlier: ReadonlyArray<{ recordId: string; roomId: string; deviceId: string; at: number }>
}

export interface AdmissionJudgement {
  /** The first verdict the server would have refused it with online, or null. */
  wouldRefuse: AdmissionRefusal | null
  /** An earlier admission of the same candidate at another door (room or tablet): the two are a conflict. */
  otherDoor: { recordId: string } | null
}

/** Judges an admission as the server would have online; it is stored either way. */
export function judgeAdmission(claim: AdmissionClaim, facts: AdmissionFacts): AdmissionJudgement {
  const otherDoorRecord = facts.earlier.find((e) => e.roomId !== claim.roomId || e.deviceId !== claim.deviceId) ?? null
  const otherDoor = otherDoorRecord ? { recordId: otherDoorRecord.recordId } : null
  const t = facts.ticket
  const verdict = ((): AdmissionRefusal | null => {
    if (!t || t.candidateId !== claim.candidateId) return 'forged'
    if (t.revoked) return 'revoked'
    if (t.sessionId !== claim.sessionId) return 'wrong_session'
    if (facts.session.status === 'suspended') return 'suspended'
    if (t.roomId !== claim.roomId) return 'wrong_room'
    if (!facts.seatedHere) return 'not_on_roster'
    if (claim.at < doorsOpenAt(facts.session.startsAt)) return 'too_early'
    if (claim.at > lateUntil(facts.session.startsAt)) return 'too_late'
    if (facts.earlier.length > 0) return 'already_admitted'
    return null
  })()
  return { wouldRefuse: verdict, otherDoor }
}
