/**
 * Scores and results (R7.1): theory scores imported from the marking system (docs/score-import-format.md), the
 * session's tally verified by a designated person — double keying or against the signed kiosk sheets — and
 * signed, and the result per candidate and subject. Pure: times and people are passed in.
 */
export { DEFAULT_THEORY_IMPORT_LIMITS, THEORY_IMPORT_COLUMNS, parseTheoryScores, readScore } from './_theory-import.ts'
export type {
  ImportSubject,
  ImportTicket,
  TheoryImportCode,
  TheoryImportContext,
  TheoryImportError,
  TheoryImportField,
  TheoryImportLimits,
  TheoryImportResult,
  TheoryScoreRow,
} from './_theory-import.ts'
export {
  SCORE_REFUSALS,
  TALLY_ACTIONS,
  TALLY_MOVES,
  TALLY_STATES,
  THEORY_ITEM_ID,
  checkLines,
  checkTallyMove,
  compareLines,
  countedScore,
  decideTally,
  movesFor,
  newTally,
  openDifferences,
  validScore,
} from './_verification.ts'
export type {
  Actor,
  Difference,
  EntryHow,
  EntryProblem,
  NewTally,
  Resolution,
  ScoreLine,
  ScoreRefusal,
  ScoreRefusalCode,
  ScoreRule,
  SignedSheet,
  Tally,
  TallyAction,
  TallyCommand,
  TallyEvent,
  TallyItem,
  TallyMove,
  TallyState,
} from './_verification.ts'
export { RESULT_NAMES, RESULT_STATUSES, historyRow, overallResult, passRules, sessionOver, subjectResult } from './_results.ts'
export type { PassRule, PendingReason, ResultIncident, ResultRefusal, ResultStatus, SubjectFacts, SubjectOutcome } from './_results.ts'
