/**
 * Results (R7.2, R7.3): when they may be published and taken down, review requests (核查) and their
 * state table, and how long a pass counts for a retake. Pure: the calendar, today and actors are passed in.
 */
export {
  PASS_VALID_MONTHS,
  PUBLICATION_MIN_WORKING_DAYS,
  decidePublish,
  decideUnpublish,
  earliestPublicationDate,
  earliestPublicationEnd,
  passValidUntil,
  resultAttempt,
  standingOn,
} from './_publication.ts'
export type { HeldPass, PublicationError } from './_publication.ts'
export { REVIEW_MOVES, REVIEW_STATES, REVIEW_WINDOW_MONTHS, decideReviewRequest, isReviewOpen, moveReview, reviewDeadline } from './_reviews.ts'
export type { ReviewAction, ReviewActor, ReviewError, ReviewState } from './_reviews.ts'
