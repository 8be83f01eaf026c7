// Checkpoints, c2sp.org/tlog-checkpoint: the note text "origin\nsize\nbase64(root)\n" plus optional
// extension lines. Parsing is strict so one tree head has exactly one text.
import { fromBase64, toBase64 } from '../crypto/index.ts'
import { CheckpointError } from './_errors.ts'

export interface Checkpoint {
  origin: string
  size: number
  rootHash: Uint8Array
  extensions: string[]
}

const BAD_LINE = /[\u0000-\u001f]|\p{Surrogate}/u // control characters (newline included) or invalid UTF-16

function malformed(why: string): never {
  throw new CheckpointError('checkpoint.malformed', why)
}

function checkLine(line: string, what: string): void {
  if (typeof line !== 'string' || line.length === 0 || BAD_LINE.test(line)) malformed(`${what} must be a non-empty single line`)
}

/** Checkpoint note text. `formatCheckpoint({ origin: 'custody.example/log', size: 5, rootHash })` */
export function formatCheckpoint(c: { origin: string; size: number; rootHash: Uint8Array; extensions?: readonly string[] }): string {
  checkLine(c.origin, 'origin')
  if (!Number.isSafeInteger(c.size) || c.size < 0) malformed('size must be a non-negative safe integer')
  if (!(c.rootHash instanceof Uint8Array) || c.rootHash.length !== 32) malformed('root hash must be 32 bytes')
  const extensions = c.extensions ?? []
  extensions.forEach((e) => checkLine(e, 'extension line'))
  return [c.origin, String(c.size), toBase64(c.rootHash), ...extensions].map((l) => `${l}\n`).join('')
}

/** Strict parse of a checkpoint note text (not the signatures: open the note first). `parseCheckpoint(opened.text).size` */
export function parseCheckpoint(text: string): Checkpoint {
  if (typeof text !== 'string' || !text.endsWith('\n')) malformed('checkpoint text must end with a newline')
  const lines = text.slice(0, -1).split('\n')
  if (lines.length < 3) malformed('checkpoint needs origin, size and root hash lines')
  const [origin, size, root, ...extensions] = lines as [string, string, string, ...string[]]
  checkLine(origin, 'origin')
  if (!/^(?:0|[1-9][0-9]*)$/.test(size) || !Number.isSafeInteger(Number(size))) malformed('size must be decimal without leading zeros')
  let rootHash: Uint8Array
  try {
    rootHash = fromBase64(root)
  } catch {
    return malformed('root hash is not base64')
  }
  if (rootHash.length !== 32) malformed('root hash must be 32 bytes')
  extensions.forEach((e) => checkLine(e, 'extension line'))
  return { origin, size: Number(size), rootHash, extensions }
}
