// The public surface of audit/: the verifiable custody log's formats, proofs and verifier.
// Pure (no I/O); imports only crypto/. The CLI (audit/cli.ts) is the one file that reads files.
export { AuditError, CanonicalError, CheckpointError, EventError, NoteError, ProofError } from './_errors.ts'
export type { CanonicalErrorCode, CheckpointErrorCode, EventErrorCode, NoteErrorCode, ProofErrorCode } from './_errors.ts'

export { canonicalBytes, canonicalJson, type Canonical } from './_canonical.ts'

export {
  EMPTY_ROOT,
  CompactRange,
  Frontier,
  consistencyProof,
  inclusionProof,
  leafHash,
  nodeHash,
  nodesToStore,
  rootAt,
  rootOf,
  subtreeHash,
  verifyConsistency,
  verifyInclusion,
} from './_merkle.ts'
export type { NodeSource, StoredNode } from './_merkle.ts'

export { cosignNote, formatVkey, isValidKeyName, keyId, keyIdHex, openNote, parseVkey, signNote, splitNote, verifyNote } from './_note.ts'
export type { NoteSignature, OpenedNote, ParsedLine, Vkey } from './_note.ts'

// Outside witnesses: cosignature/v1 (c2sp.org/tlog-cosignature) and the add-checkpoint bodies of c2sp.org/tlog-witness.
export {
  COSIGNATURE_V1,
  cosignatureLine,
  cosignedMessage,
  cosignerKeyId,
  formatCosignerVkey,
  openCosignatures,
  parseCosignatureLine,
  parseCosignerVkey,
  verifyCosignature,
  withSignatureLines,
} from './_cosignature.ts'
export type { CheckedCosignature, Cosignature, CosignerKey } from './_cosignature.ts'
export {
  MAX_PROOF_LINES,
  TLOG_SIZE_CONTENT_TYPE,
  WitnessProtocolError,
  formatAddCheckpoint,
  parseAddCheckpoint,
  parseCosignatureResponse,
  parseSizeResponse,
  parseTreeSize,
} from './_tlog-witness.ts'

export { formatCheckpoint, parseCheckpoint, type Checkpoint } from './_checkpoint.ts'

export { GENESIS_PREV, checkEvent, decodeEvent, encodeEvent, eventHeadOf } from './_event.ts'
export type { Actor, LogEvent } from './_event.ts'

export { KEY_ROTATED, KeyRotationError, checkKeyRotation, keyRotationData, rotationStatement } from './_rotation.ts'
export type { KeyRotationData } from './_rotation.ts'

export { formatExportLine, formatExportTrailer } from './_export.ts'
// The names people read for the log's action codes (zh, en): one table for reports and pages.
export { ACTION_NAMES, actionName, type ActionName } from './_actions.ts'
export { ExportVerifier, verifyExport, verifyLines } from './_verify.ts'
export type { VerifyCode, VerifyFailure, VerifyOptions, VerifyResult } from './_verify.ts'
