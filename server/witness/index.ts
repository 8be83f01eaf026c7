// A tlog witness (c2sp.org/tlog-witness): the program `npm run witness` runs, and the demo runs in-process.
export { createWitness, type Witness, type WitnessDeps, type WitnessKey } from './app.ts'
export { FileWitnessState, MemoryWitnessState, type StoredRecord, type WitnessState } from './_state.ts'
export { WITNESS_REFUSALS, judgeAddCheckpoint, type Judgement, type WitnessRecord, type WitnessRefusal } from './_rules.ts'
export { loadOrCreateWitnessKey } from './_key.ts'
