// The request and response bodies of c2sp.org/tlog-witness `add-checkpoint`, both directions:
//   request:  "old <size>\n" || one base64 consistency-proof hash per line || "\n" || the signed checkpoint note
//   response: 200 with cosignature lines; 409 with "<size>\n" as text/x.tlog.size when `old` is not the
//             size the witness last cosigned.
import { fromBase64, toBase64 } from '../crypto/index.ts'
import { AuditError } from './_errors.ts'

/** Content-Type of a 409 answer that carries the witness's known size. */
export const TLOG_SIZE_CONTENT_TYPE = 'text/x.tlog.size'
/** The spec's limit on consistency proof lines. */
export const MAX_PROOF_LINES = 63

/** An add-checkpoint body or answer that does not follow c2sp.org/tlog-witness. */
export class WitnessProtocolError extends AuditError<'witness.malformed'> {}

function malformed(why: string): never {
  throw new WitnessProtocolError('witness.malformed', why)
}

const DECIMAL = /^(?:0|[1-9][0-9]*)$/

/** Parses a decimal tree size with no leading zeros. `parseSize('42') === 42` */
export function parseTreeSize(text: string): number {
  if (!DECIMAL.test(text) || !Number.isSafeInteger(Number(text))) malformed(`not a tree size: ${JSON.stringify(text.slice(0, 30))}`)
  return Number(text)
}

/** The add-checkpoint request body. `formatAddCheckpoint({ oldSize: 5, proof, note })` */
export function formatAddCheckpoint(req: { oldSize: number; proof: readonly Uint8Array[]; note: string }): string {
  if (!Number.isSafeInteger(req.oldSize) || req.oldSize < 0) malformed('old size must be a non-negative safe integer')
  if (req.proof.length > MAX_PROOF_LINES) malformed(`at most ${MAX_PROOF_LINES} proof lines`)
  return `old ${req.oldSize}\n${req.proof.map((h) => `${toBase64(h)}\n`).join('')}\n${req.note}`
}

/** Strict parse of an add-checkpoint request body (the note itself is checked by the caller). */
export function parseAddCheckpoint(body: string): { oldSize: number; proof: Uint8Array[]; note: string } {
  if (typeof body !== 'string') malformed('body must be text')
  const blank = body.indexOf('\n\n')
  if (blank < 0) malformed('no empty line before the checkpoint')
  const head = body.slice(0, blank).split('\n')
  const note = body.slice(blank + 2)
  const first = head[0]!
  if (!first.startsWith('old ')) malformed('the first line must be "old <size>"')
  const oldSize = parseTreeSize(first.slice(4))
  const lines = head.slice(1)
  if (lines.length > MAX_PROOF_LINES) malformed(`more than ${MAX_PROOF_LINES} consistency proof lines`)
  const proof = lines.map((l) => {
    let h: Uint8Array
    try {
      h = fromBase64(l)
    } catch {
      return malformed('a proof line is not base64')
    }
    if (h.length !== 32) malformed('a proof line is not a 32-byte hash')
    return h
  })
  return { oldSize, proof, note }
}

/** The signature lines of a 200 answer, each without its newline. `parseCosignatureResponse(await res.text())` */
export function parseCosignatureResponse(body: string): string[] {
  if (typeof body !== 'string' || !body.endsWith('\n') || body.length < 3) malformed('the answer must be signature lines ending in a newline')
  const lines = body.slice(0, -1).split('\n')
  if (lines.some((l) => !l.startsWith('\u2014 '))) malformed('every answer line must be a signature line starting with an em dash')
  return lines
}

/** The size in a 409 text/x.tlog.size answer. `parseSizeResponse('17\n') === 17` */
export function parseSizeResponse(body: string): number {
  if (typeof body !== 'string' || !body.endsWith('\n')) malformed('a size answer is a decimal and a newline')
  return parseTreeSize(body.slice(0, -1))
}
