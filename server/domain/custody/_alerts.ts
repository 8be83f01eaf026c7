/**
 * Alerts: events supervisors are told about at once. Decisions put them among their events (a leak report,
 * a recovery that does not add up); a refusal that is also an alarm (R5.3: a seal that does not match, a
 * damaged packet) changes nothing, so `alertFor` gives the event the service appends on its own.
 */
import type { CustodyRefusal } from './_refusals.ts'
import type { CustodyEventDraft } from './_types.ts'

export const ALERT_PREFIX = 'custody.alert.'

/** True for the events a notifier pushes to supervisors. */
export const isAlert = (draft: { action: string }): boolean => draft.action.startsWith(ALERT_PREFIX)

/**
 * The alert a refusal raises, or null: alertFor({ code: 'packet.seal_mismatch', ... }, 'SEAL-0001') →
 * 'custody.alert.seal_mismatch'. `expected` is the packet's seal: the refusal itself never carries it (the
 * check is blind, decision record 006); supervisors read expected beside seen in the alert.
 */
export function alertFor(refusal: CustodyRefusal, expected: string | null = null): CustodyEventDraft | null {
  switch (refusal.code) {
    case 'packet.seal_mismatch':
      return {
        action: `${ALERT_PREFIX}seal_mismatch`,
        subject: { type: 'packet', id: refusal.packetId },
        where: null,
        data: { expected, seen: refusal.seen, seenBy: refusal.seenBy, people: [refusal.seenBy] },
      }
    case 'packet.damaged':
      return {
        action: `${ALERT_PREFIX}packet_damaged`,
        subject: { type: 'packet', id: refusal.packetId },
        where: null,
        data: { seenBy: refusal.seenBy, people: [refusal.seenBy] },
      }
    default:
      return null
  }
}
