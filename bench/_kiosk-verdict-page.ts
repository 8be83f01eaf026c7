// The page bench/kiosk.ts loads in Chromium: the kiosk's own verdict code (kiosk/src/_door-verdict.ts) and the
// noble Ed25519 verify it rests on, bundled for the browser and exposed to the benchmark's page script.
import { ed25519 } from '../crypto/index.ts'
import { decideVerdict, warmUp } from '../kiosk/src/_door-verdict.ts'

;(globalThis as unknown as { custodyBench: unknown }).custodyBench = { decideVerdict, warmUp, verify: ed25519.verify }
