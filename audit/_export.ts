// Export format: JSON Lines. One line per entry, in index order:
//   {"index":n,"bytes":"<base64 canonical bytes>","event":<the same event as JSON, for humans>}
// then exactly one trailer line: {"checkpoint":"<signed note>","keys":["<vkey>",...]}.
// The bytes are the evidence; "event" is a convenience the verifier checks against them.
import { toBase64 } from '../crypto/index.ts'
import { decodeEventText, eventText } from './_event.ts'

/** One export line for the entry at `index`. `formatExportLine(7, storedBytes)` */
export function formatExportLine(index: number, bytes: Uint8Array): string {
  const b64 = toBase64(bytes)
  let text: string | undefined
  try {
    text = eventText(bytes)
    decodeEventText(text)
  } catch {
    // Never hide evidence: bytes that do not decode are exported as they are, for the verifier to name.
    text = undefined
  }
  // Canonical JSON is valid JSON with no raw newlines, so it can be embedded as-is.
  return text === undefined ? `{"index":${index},"bytes":"${b64}"}` : `{"index":${index},"bytes":"${b64}","event":${text}}`
}

/** The final export line. `formatExportTrailer(signedCheckpoint, [vkey])` */
export function formatExportTrailer(checkpointNote: string, vkeys: readonly string[]): string {
  return JSON.stringify({ checkpoint: checkpointNote, keys: [...vkeys] })
}
