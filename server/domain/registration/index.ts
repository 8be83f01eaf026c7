/**
 * Registration (R3.1–R3.3): resident ID numbers (GB 11643), the registration record, bulk import of the
 * municipal platform's CSV export (docs/import-format.md), and candidate photo checks. Pure: no I/O,
 * and `today` is always passed in.
 */
export type { CivilDate } from './_civil-date.ts'

export { PROVINCE_PREFIXES, makeResidentId, parseResidentId, residentIdCheckChar } from './_resident-id.ts'
export type { Gender, IdError, IdErrorCode, ResidentId } from './_resident-id.ts'

export { FIELD_LABELS, LEVEL_NAMES, parseLevel, validateRegistration } from './_registration.ts'
export type {
  EarlierCertificate,
  FieldError,
  FieldErrorCode,
  Level,
  OccupationCatalogue,
  Registration,
  RegistrationContext,
  RegistrationField,
  RegistrationInput,
} from './_registration.ts'

export { formatCsvRecord, parseCsv } from './_csv.ts'
export type { CsvError } from './_csv.ts'

export { DEFAULT_IMPORT_LIMITS, IMPORT_COLUMNS, decodeCsvBytes, parseImport } from './_import.ts'
export { matchHeader, normaliseHeader } from './_header.ts'
export type { HeaderColumn, HeaderMatch, HeaderProblem } from './_header.ts'
export type { CsvEncoding, ImportContext, ImportError, ImportErrorCode, ImportLimits, ImportResult } from './_import.ts'

export { DEFAULT_PHOTO_LIMITS, inspectPhoto } from './_photo.ts'
export type { PhotoError, PhotoInfo, PhotoLimits } from './_photo.ts'
export { maskPhone, maskResidentId } from './_mask.ts'
export { CANDIDATE_FILTERS, VISIBLE_ID_TAIL, readCandidateQuery } from './_search.ts'
export type { CandidateFilter, CandidateQuery } from './_search.ts'
