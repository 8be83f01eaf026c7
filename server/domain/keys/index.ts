// The split paper key: holders, ceremonies, shares (docs/decisions/008-split-master-key.md).
export {
  DEFAULT_THRESHOLD,
  MAX_HOLDERS,
  MAX_PASSPHRASE_FAILURES,
  MIN_PASSPHRASE,
  PASSPHRASE_WINDOW_MS,
  ceremonyReady,
  checkCeremonyStart,
  checkPassphrase,
  checkShareHolder,
} from './_ceremony.ts'
export type { Ceremony, CeremonyRegistration, HeldShare, KeyCode, KeyPerson, KeyRefusal, PaperKeyRecord, ScryptCost } from './_ceremony.ts'
