// A tlog witness (c2sp.org/tlog-witness) as a small Hono app: POST /add-checkpoint cosigns a log's
// checkpoint only when it extends the last one this witness cosigned for that log. Anyone can run it
// (`npm run witness`, server/cli/witness.ts); the demo runs one in-process (docs/decisions/009-log-witness.md).
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { type Vkey, TLOG_SIZE_CONTENT_TYPE, cosignatureLine, formatCosignerVkey, parseVkey } from '../../audit/index.ts'
import { ed25519, toBase64 } from '../../crypto/index.ts'
import { judgeAddCheckpoint } from './_rules.ts'
import type { WitnessState } from './_state.ts'

export interface WitnessKey {
  name: string
  privateKey: Uint8Array
}

export interface WitnessDeps {
  key: WitnessKey
  /**
   * Verifier keys (signed-note vkeys) of the logs this witness follows; each key's name is its log's origin.
   * A function is asked on every request (the demo's in-process witness follows the log's key rotations).
   */
  logKeys: readonly string[] | (() => readonly string[])
  state: WitnessState
  clock?: () => number
  /** Where refused-but-signed requests are kept as evidence of a fork (DIR/evidence); none in memory-only use. */
  evidenceDir?: string
  /** Where the witness says what it did; console by default. */
  say?: (line: string) => void
}

export interface Witness {
  app: Hono
  /** The witness's cosigner vkey (type 0x04): give it to the log server and to verifiers. */
  vkey: string
  name: string
}

const MAX_BODY = 64 * 1024 // 63 proof lines and a checkpoint with a few signatures fit many times over

/** Builds the witness; no listening, no side effects beyond the state store. */
export function createWitness(deps: WitnessDeps): Witness {
  const clock = deps.clock ?? Date.now
  const say = deps.say ?? ((line: string) => console.log(`[witness] ${line}`))
  const logsOf = (texts: readonly string[]): Map<string, Vkey[]> => {
    const logs = new Map<string, Vkey[]>()
    for (const text of texts) {
      const k = parseVkey(text)
      logs.set(k.name, [...(logs.get(k.name) ?? []), k])
    }
    return logs
  }
  const fixed = typeof deps.logKeys === 'function' ? null : logsOf(deps.logKeys)
  const currentLogs = (): Map<string, Vkey[]> => fixed ?? logsOf((deps.logKeys as () => readonly string[])())
  const vkey = formatCosignerVkey(deps.key.name, ed25519.publicKey(deps.key.privateKey))
  const app = new Hono()

  app.get('/', (c) => {
    const lines = [
      `tlog-witness ${deps.key.name}`,
      `vkey ${vkey}`,
      ...[...currentLogs().keys()].map((origin) => `log ${origin} ${deps.state.get(origin)?.size ?? 0}`),
    ]
    return c.text(lines.join('\n') + '\n')
  })

  app.post('/add-checkpoint', bodyLimit({ maxSize: MAX_BODY, onError: (c) => c.text('witness.malformed: the body is too large\n', 400) }), async (c) => {
    const body = await c.req.text()
    // From here to the answer nothing awaits: judging, persisting and signing run as one step, so two
    // requests for one log cannot interleave (the race the spec warns about).
    const verdict = judgeAddCheckpoint(body, currentLogs(), (origin) => deps.state.get(origin))
    if (!verdict.ok) {
      if (verdict.evidence) keepEvidence(verdict.evidence, verdict.message, body)
      if (verdict.code === 'witness.size_mismatch') return c.text(`${verdict.knownSize}\n`, 409, { 'Content-Type': TLOG_SIZE_CONTENT_TYPE })
      return c.text(`${verdict.code}: ${verdict.message}\n`, verdict.status)
    }
    const { checkpoint, note } = verdict
    const text = note.slice(0, note.lastIndexOf('\n\n') + 1)
    const now = clock()
    deps.state.put({ origin: checkpoint.origin, size: checkpoint.size, root: checkpoint.rootHash, note, at: new Date(now).toISOString() })
    return c.text(cosignatureLine(text, Math.floor(now / 1000), deps.key.name, deps.key.privateKey), 200)
  })

  function keepEvidence(ev: { origin: string; size: number }, message: string, body: string): void {
    say(`REFUSED ${ev.origin} size ${ev.size}: ${message}`)
    if (!deps.evidenceDir) return
    mkdirSync(deps.evidenceDir, { recursive: true, mode: 0o700 })
    const stamp = new Date(clock()).toISOString().replace(/[:.]/g, '-')
    const file = join(deps.evidenceDir, `${stamp}-size-${ev.size}.txt`)
    writeFileSync(file, `${message}\nlast cosigned root: ${toBase64(deps.state.get(ev.origin)?.root ?? new Uint8Array())}\n\n${body}`, { mode: 0o600 })
    say(`kept the signed request as evidence in ${file}`)
  }

  return { app, vkey, name: deps.key.name }
}
