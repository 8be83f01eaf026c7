// Door kiosks: device enrolment, revocation and the checks on a device-signed request (decision 011).
export {
  DEVICE_MOVES,
  ENROLMENT_TTL_MS,
  MAX_CLOCK_SKEW_MS,
  MAX_LABEL,
  MAX_REASON,
  checkDevice,
  cleanLabel,
  decideMove,
  enrol,
  enrolmentState,
  openEnrolment,
  revokeDevice,
} from './_devices.ts'
export type { Device, DeviceSlotState, Enrolment, KioskAction, KioskCode, KioskDeviceRefusal, KioskRefusal, KioskWho } from './_devices.ts'
export {
  DESCRIPTION_MAX,
  GROUP_NAMES,
  INCIDENT_KINDS,
  PHOTO_MAX_BYTES,
  SEIZED_MAX,
  currentSheet,
  decideConfirmation,
  decideIncident,
  decideScoreSheet,
  finishAfterStops,
  incidentKind,
  incidentStatus,
  needsConfirmation,
  sheetTotal,
} from './_incidents.ts'
export type {
  Incident,
  IncidentConfirmation,
  IncidentDraft,
  IncidentGroup,
  IncidentKind,
  IncidentKindSpec,
  IncidentStatus,
  RoomFacts,
  RoomRefusal,
  RoomRefusalCode,
  ScoreItem,
  ScoreSheet,
  ScoreSheetDraft,
} from './_incidents.ts'
export { RECORD_KINDS, classifyArrival, hashedPart } from './_records.ts'
export type { Arrival, KioskRecord, ReceivedRecord, RecordKind } from './_records.ts'
export type { RoomPackage, RosterEntry } from './_package.ts'
export {
  FLAG_LATE_UPLOAD,
  FLAG_OFFLINE,
  FLAG_OFFLINE_CONFIRM,
  FLAG_REVOKED_DEVICE,
  LATE_UPLOAD_MS,
  arrivalFlags,
  mergeFlags,
  wouldRefuse,
} from './_flags.ts'
export { ADMISSION_REFUSALS, DOORS_OPEN_BEFORE_MS, LATE_AFTER_MS, doorsOpenAt, judgeAdmission, lateUntil } from './_admission.ts'
export type { AdmissionClaim, AdmissionFacts, AdmissionJudgement, AdmissionRefusal } from './_admission.ts'
