// The attendance tab (考勤): the roster split live into present (in by the start), late (in after the start, before
// the cut-off) and absent; once the late cut-off has passed the absent list is final (R6.2).
import type { KnownAdmission } from './_door-verdict.ts'
import { byId, el } from './_dom.ts'
import type { RoomPackage, RosterEntry } from './_kiosk-types.ts'
import { formatCst } from './_time.ts'

export interface Attendance {
  present: Array<RosterEntry & { at: number }>
  late: Array<RosterEntry & { at: number }>
  absent: RosterEntry[]
  /** The late cut-off has passed: nobody else comes in, the absent list is final. */
  final: boolean
}

/** `attendance(pkg, admissions, now)`: pure, for the tab and its test. */
export function attendance(pkg: RoomPackage, admissions: readonly KnownAdmission[], now: number): Attendance {
  const first = new Map<string, number>()
  for (const a of admissions) first.set(a.ticketNumber, Math.min(a.at, first.get(a.ticketNumber) ?? Number.POSITIVE_INFINITY))
  const out: Attendance = { present: [], late: [], absent: [], final: now > pkg.session.lateUntil }
  for (const e of [...pkg.roster].sort((a, b) => a.seat - b.seat)) {
    const at = first.get(e.ticketNumber)
    if (at === undefined) out.absent.push(e)
    else if (at > pkg.session.startsAt) out.late.push({ ...e, at })
    else out.present.push({ ...e, at })
  }
  return out
}

const row = (e: RosterEntry, at?: number): HTMLLIElement =>
  el(
    'li',
    { attrs: { 'data-ticket': e.ticketNumber } },
    el('strong', { class: 'kiosk-list__seat' }, String(e.seat)),
    ' ',
    e.name,
    ' ',
    el('span', { class: 'mono muted' }, e.ticketNumber),
    at === undefined ? null : el('span', { class: 'muted' }, ` ${formatCst(at).slice(11, 16)}`),
  )

export function renderAttendance(a: Attendance): void {
  byId('att-present').replaceChildren(...a.present.map((e) => row(e, e.at)))
  byId('att-late').replaceChildren(...a.late.map((e) => row(e, e.at)))
  byId('att-absent').replaceChildren(...a.absent.map((e) => row(e)))
  byId('att-present-count').textContent = String(a.present.length)
  byId('att-late-count').textContent = String(a.late.length)
  byId('att-absent-count').textContent = String(a.absent.length)
  byId('att-final').hidden = !a.final
  byId('att-absent').dataset.final = String(a.final)
}
