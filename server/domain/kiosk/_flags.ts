/**
 * Flags on a stored kiosk record (decision 011): the server keeps every door decision made offline and marks
 * what it would have decided otherwise, rather than undoing it.
 */

/** A record that reached the server more than this long after it was made is a late upload. */
export const LATE_UPLOAD_MS = 10 * 60_000

export const FLAG_OFFLINE = 'offline'
export const FLAG_LATE_UPLOAD = 'late_upload'
export const FLAG_REVOKED_DEVICE = 'revoked_device'
export const FLAG_OFFLINE_CONFIRM = 'offline_confirm'
export const wouldRefuse = (code: string): string => `would_refuse:${code}`

/** The flags every record gets from when and how it was made: offline, late_upload, revoked_device. */
export function arrivalFlags(r: { online: boolean; madeAt: number }, receivedAt: number, device: { revoked: boolean }): string[] {
  const flags: string[] = []
  if (!r.online) flags.push(FLAG_OFFLINE)
  if (receivedAt - r.madeAt > LATE_UPLOAD_MS) flags.push(FLAG_LATE_UPLOAD)
  if (device.revoked) flags.push(FLAG_REVOKED_DEVICE)
  return flags
}

/** Flags in a stable order, each once. */
export const mergeFlags = (...lists: ReadonlyArray<readonly string[]>): string[] => [...new Set(lists.flat())]
