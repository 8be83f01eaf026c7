// The witness's own Ed25519 key, DIR/witness.key (owner-only), created on first start.
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ed25519, fromHex, toHex } from '../../crypto/index.ts'
import { writeFileDurably } from './_state.ts'
import type { WitnessKey } from './app.ts'

export function loadOrCreateWitnessKey(dataDir: string, name: string): { key: WitnessKey; created: boolean } {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const file = join(dataDir, 'witness.key')
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { name: string; seed: string }
    return { key: { name: parsed.name, privateKey: fromHex(parsed.seed) }, created: false }
  }
  const key = { name, privateKey: ed25519.generatePrivateKey() }
  writeFileDurably(file, JSON.stringify({ name, seed: toHex(key.privateKey) }) + '\n')
  return { key, created: true }
}
