// What a witness decides about one add-checkpoint request (c2sp.org/tlog-witness), as a pure function of
// the request, the logs it is configured with and the last checkpoint it cosigned for that origin. The
// program around it (app.ts) persists the accepted state and signs; see docs/decisions/009-log-witness.md.
import {
  type Checkpoint,
  type Vkey,
  AuditError,
  EMPTY_ROOT,
  openNote,
  parseAddCheckpoint,
  parseCheckpoint,
  splitNote,
  verifyConsistency,
} from '../../audit/index.ts'
import { equalBytes, toBase64 } from '../../crypto/index.ts'

/** The latest checkpoint a witness cosigned for one log. */
export interface WitnessRecord {
  size: number
  root: Uint8Array
}

/** Stable codes of a witness's refusals, each with the HTTP status the spec gives it. */
export const WITNESS_REFUSALS = {
  'witness.malformed': 400, // the body is not old-size line, proof lines, blank line, checkpoint note
  'witness.old_after_new': 400, // old size larger than the checkpoint's size
  'witness.unknown_log': 404, // no log with this origin is configured
  'witness.bad_signature': 403, // no signature by a configured key of that log verifies
  'witness.size_mismatch': 409, // old size is not the size last cosigned (the answer carries that size)
  'witness.fork': 409, // same size as the one cosigned, different root: two histories
  'witness.inconsistent': 422, // the consistency proof from the cosigned tree does not verify
} as const
export type WitnessRefusal = keyof typeof WITNESS_REFUSALS

export type Judgement =
  | { ok: true; checkpoint: Checkpoint; note: string }
  | {
      ok: false
      code: WitnessRefusal
      status: (typeof WITNESS_REFUSALS)[WitnessRefusal]
      message: string
      /** For witness.size_mismatch: the size the witness last cosigned. */
      knownSize?: number
      /** The log signed this request, so it is evidence of the log's misbehaviour (keep it). */
      evidence?: { origin: string; size: number }
    }

function refuse(code: WitnessRefusal, message: string, extra: { knownSize?: number; evidence?: { origin: string; size: number } } = {}): Judgement {
  return { ok: false, code, status: WITNESS_REFUSALS[code], message, ...extra }
}

/**
 * Judges an add-checkpoint body. `logs` maps an origin to the vkeys trusted to sign it; `recordOf` gives
 * the last cosigned checkpoint of an origin (null: never cosigned, the witness starts from size 0).
 * `judgeAddCheckpoint(body, logs, (origin) => state.get(origin))`
 */
export function judgeAddCheckpoint(body: string, logs: ReadonlyMap<string, readonly Vkey[]>, recordOf: (origin: string) => WitnessRecord | null): Judgement {
  let req: { oldSize: number; proof: Uint8Array[]; note: string }
  let checkpoint: Checkpoint
  try {
    req = parseAddCheckpoint(body)
    checkpoint = parseCheckpoint(splitNote(req.note).text)
  } catch (err) {
    return refuse('witness.malformed', err instanceof AuditError ? err.message : String(err))
  }
  const keys = logs.get(checkpoint.origin)
  if (!keys) return refuse('witness.unknown_log', `this witness does not follow a log named ${checkpoint.origin}`)
  const signatures = openNote(req.note, keys).signatures.filter((s) => s.known)
  if (signatures.length === 0 || signatures.some((s) => !s.verified)) {
    return refuse('witness.bad_signature', `the checkpoint is not signed by a key this witness trusts for ${checkpoint.origin}`)
  }
  const { oldSize, proof } = req
  if (oldSize > checkpoint.size) return refuse('witness.old_after_new', `old size ${oldSize} is larger than the checkpoint's size ${checkpoint.size}`)
  const record = recordOf(checkpoint.origin)
  const known = record?.size ?? 0
  if (oldSize !== known) return refuse('witness.size_mismatch', `this witness last cosigned size ${known}, not ${oldSize}`, { knownSize: known })
  const evidence = { origin: checkpoint.origin, size: checkpoint.size }
  if (oldSize === 0 && proof.length > 0) return refuse('witness.malformed', 'the consistency proof must be empty when the old size is 0')
  if (record && oldSize === checkpoint.size) {
    if (proof.length > 0) return refuse('witness.malformed', 'the consistency proof must be empty when the sizes are equal')
    if (!equalBytes(record.root, checkpoint.rootHash)) {
      return refuse(
        'witness.fork',
        `FORK: ${checkpoint.origin} signed two different roots for size ${checkpoint.size} ` +
          `(cosigned ${toBase64(record.root)}, now ${toBase64(checkpoint.rootHash)}); this witness refuses the second`,
        { evidence },
      )
    }
  } else if (record && oldSize > 0) {
    try {
      verifyConsistency(oldSize, checkpoint.size, proof, record.root, checkpoint.rootHash)
    } catch (err) {
      return refuse(
        'witness.inconsistent',
        `FORK or rewritten history: the checkpoint of size ${checkpoint.size} is not an extension of the ` +
          `tree of size ${oldSize} this witness cosigned (${err instanceof AuditError ? err.code : 'proof error'}); this witness refuses it`,
        { evidence },
      )
    }
  } else if (!record && checkpoint.size === 0 && !equalBytes(checkpoint.rootHash, EMPTY_ROOT)) {
    return refuse('witness.inconsistent', 'an empty tree must have the root SHA-256("")', { evidence })
  }
  return { ok: true, checkpoint, note: req.note }
}
