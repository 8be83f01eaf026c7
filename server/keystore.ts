import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ed25519, fromHex, toHex } from '../crypto/index.ts'
import type { LogSigningKey } from './services/index.ts'

/**
 * Keys live in DATA_DIR/keys, generated on first run, readable by the owner only (0600), never in the repo.
 * A file holds the key's name and its 32-byte Ed25519 seed in hex.
 */
export function keysDir(dataDir: string): string {
  const dir = join(dataDir, 'keys')
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  return dir
}

export type KeyFile = 'log-signing.key' | 'ticket-signing.key'

export function loadOrCreateLogKey(dataDir: string, name: string): { key: LogSigningKey; created: boolean } {
  return loadOrCreateKey(dataDir, 'log-signing.key', name)
}

/** An Ed25519 signing key kept in DATA_DIR/keys/<file>, created on first use. */
export function loadOrCreateKey(dataDir: string, fileName: KeyFile, name: string): { key: LogSigningKey; created: boolean } {
  const file = join(keysDir(dataDir), fileName)
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { name: string; seed: string }
    const privateKey = fromHex(parsed.seed)
    return { key: { name: parsed.name, privateKey, publicKey: ed25519.publicKey(privateKey) }, created: false }
  }
  const privateKey = ed25519.generatePrivateKey()
  const key = { name, privateKey, publicKey: ed25519.publicKey(privateKey) }
  saveKey(dataDir, fileName, key)
  return { key, created: true }
}

/** Replaces the current log key file atomically (write, fsync by rename, 0600). */
export function saveLogKey(dataDir: string, key: LogSigningKey): void {
  saveKey(dataDir, 'log-signing.key', key)
}

function saveKey(dataDir: string, fileName: KeyFile, key: LogSigningKey): void {
  const file = join(keysDir(dataDir), fileName)
  const tmp = `${file}.tmp`
  writeFileSync(tmp, JSON.stringify({ name: key.name, seed: toHex(key.privateKey) }) + '\n', { mode: 0o600 })
  chmodSync(tmp, 0o600)
  renameSync(tmp, file)
}
