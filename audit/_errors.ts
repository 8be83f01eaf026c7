// Broken invariants in audit data are thrown as named errors with stable codes (STYLE: refusals
// are data, broken invariants are thrown), so callers and the verifier can report them precisely.

/** Base of every error thrown by audit/: `err.code` is stable, `err.message` is for humans. */
export class AuditError<C extends string = string> extends Error {
  readonly code: C
  constructor(code: C, message: string) {
    super(`${code}: ${message}`)
    this.code = code
    this.name = new.target.name
  }
}

export type CanonicalErrorCode = 'canonical.unsupported' | 'canonical.not_json' | 'canonical.not_canonical'
/** A value that has no canonical encoding, or bytes that are not the canonical encoding of anything. */
export class CanonicalError extends AuditError<CanonicalErrorCode> {}

export type ProofErrorCode =
  | 'proof.bad_argument' // a size or index that is not a non-negative safe integer
  | 'proof.bad_hash' // a hash that is not 32 bytes
  | 'proof.index_out_of_range' // index >= size
  | 'proof.sizes_out_of_order' // size1 > size2
  | 'proof.empty_tree' // consistency with an empty tree proves nothing (RFC 9162 §2.1.4: 0 < m)
  | 'proof.wrong_length' // too many or too few proof hashes
  | 'proof.root_mismatch' // the proof does not lead to the expected root(s)
/** A Merkle inclusion or consistency proof that does not verify (RFC 9162 §2.1.3.2 / §2.1.4.2). */
export class ProofError extends AuditError<ProofErrorCode> {}

export type NoteErrorCode = 'note.malformed' | 'note.bad_key' | 'note.bad_signature' | 'note.unverified'
/** A signed note (c2sp.org/signed-note) that is malformed or not signed by the expected key. */
export class NoteError extends AuditError<NoteErrorCode> {}

export type CheckpointErrorCode = 'checkpoint.malformed'
/** A checkpoint body (c2sp.org/tlog-checkpoint) that does not parse strictly. */
export class CheckpointError extends AuditError<CheckpointErrorCode> {}

export type EventErrorCode = 'event.not_canonical' | 'event.malformed'
/** Log event bytes that are not a canonical, well-formed LogEvent. */
export class EventError extends AuditError<EventErrorCode> {}
