// Export format: JSON Lines. One line per entry, in index order:
//   {"index":n,"bytes":"<base64 canonical bytes>","event":<the same event as JSON, for humans>}
// then exactly one trailer line: {"checkpoint":"<signed note>","keys":["<vkey>",...]}.
// The bytes are the evidence; "event" is a convenience the verifier checks against them.
import { toBase64 } from '../crypto/index.ts'
import { isCanonicalJson } from './_canonical.ts'
import { eventText } from './_event.ts'

/** One export line for the entry at `index`. `formatExportLine(7, storedBytes)` */
export function formatExportLine(index: number, bytes: Uint8Array): string {
  const b64 = toBase64(bytes)
  const text = displayable(bytes)
  return text === undefined ? `{"index":${index},"bytes":"${b64}"}` : `{"index":${index},"bytes":"${b64}","event":${text}}`
}

/**
 * The bytes' text if it can be embedded in the line. Stored bytes are canonical events, and
 * canonical JSON is always valid one-line JSON; bytes that are not canonical are exported without
 * "event" rather than hidden, and the verifier names them.
 */
function displayable(bytes: Uint8Array): string | undefined {
  try {
    const text = eventText(bytes)
    return isCanonicalJson(text) ? text : undefined
  } catch {
    return undefined
  }
}

/** The final export line. `formatExportTrailer(signedCheckpoint, [vkey])` */
export function formatExportTrailer(checkpointNote: string, vkeys: readonly string[]): string {
  return JSON.stringify({ checkpoint: checkpointNote, keys: [...vkeys] })
}
