/**
 * The revocation list a door downloads for one session: the text of a signed note (c2sp.org/signed-note),
 * signed with the ticket key, so the door checks it offline with the same published key.
 *
 *   custody/ticket-revocations/v1
 *   session <exam session id>
 *   issued <ISO 8601 UTC time>
 *   revoked <count>
 *   <ticket number>            (one per line, sorted)
 */
export const REVOCATION_HEADER = 'custody/ticket-revocations/v1'

export interface RevocationList {
  sessionId: string
  issuedAt: string
  numbers: string[]
}

const LINE = /^[\x21-\x7e]+$/ // printable ASCII without spaces: ids and numbers only

export function revocationNoteText(list: RevocationList): string {
  for (const v of [list.sessionId, list.issuedAt, ...list.numbers]) {
    if (!LINE.test(v)) throw new RangeError(`revocation list field ${JSON.stringify(v)} is not printable ASCII without spaces`)
  }
  const numbers = [...new Set(list.numbers)].sort()
  return [REVOCATION_HEADER, `session ${list.sessionId}`, `issued ${list.issuedAt}`, `revoked ${numbers.length}`, ...numbers].join('\n') + '\n'
}

/** Reads the text of a verified note back; null when it is not a revocation list. */
export function parseRevocationNoteText(text: string): RevocationList | null {
  const lines = text.split('\n')
  if (lines.pop() !== '') return null
  const [header, session, issued, count, ...numbers] = lines
  if (header !== REVOCATION_HEADER) return null
  const field = (line: string | undefined, key: string) => (line?.startsWith(`${key} `) ? line.slice(key.length + 1) : null)
  const sessionId = field(session, 'session'),
    issuedAt = field(issued, 'issued'),
    n = field(count, 'revoked')
  if (sessionId === null || issuedAt === null || n === null || !/^\d+$/.test(n) || Number(n) !== numbers.length) return null
  if (!numbers.every((x) => LINE.test(x))) return null
  return { sessionId, issuedAt, numbers }
}
