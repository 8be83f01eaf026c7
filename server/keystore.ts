import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type MasterKey, ed25519, fromHex, toHex } from '../crypto/index.ts'
import type { LogSigningKey } from './services/index.ts'
import type { MasterKeyKeeper } from './services/papers.ts'

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

// ---------- key rings: ticket keys (decision 011) and certificate keys (R8.1, docs/certificate-format.md) ----------

/** A ring's folder under DATA_DIR/keys: one <keyId>.key file ({ name, seed }, 0600) per key. */
type RingFolder = 'ticket-keys' | 'certificate-keys'
const RING_KEY_FILE = /^([0-9a-f]{8})\.key$/
const ringDir = (dataDir: string, ring: RingFolder): string => {
  const dir = join(keysDir(dataDir), ring)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  return dir
}

function loadRing(dataDir: string, ring: RingFolder): LogSigningKey[] {
  const dir = ringDir(dataDir, ring)
  return readdirSync(dir)
    .filter((f) => RING_KEY_FILE.test(f))
    .sort()
    .map((f) => {
      const parsed = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { name: string; seed: string }
      const privateKey = fromHex(parsed.seed)
      if (privateKey.length !== 32) throw new Error(`${ring}/${f}: not a key file of this server`)
      return { name: parsed.name, privateKey, publicKey: ed25519.publicKey(privateKey) }
    })
}

/** Writes a ring key's private half (0600) via a temporary file and a rename. */
function saveRingKey(dataDir: string, ring: RingFolder, keyId: string, key: LogSigningKey): void {
  if (!/^[0-9a-f]{8}$/.test(keyId)) throw new RangeError(`${ring}: key id ${JSON.stringify(keyId)} cannot name a file`)
  const file = join(ringDir(dataDir, ring), `${keyId}.key`)
  const tmp = `${file}.tmp`
  writeFileSync(tmp, JSON.stringify({ name: key.name, seed: toHex(key.privateKey) }) + '\n', { mode: 0o600 })
  chmodSync(tmp, 0o600)
  renameSync(tmp, file)
}

/**
 * The ticket ring's keys made by rotation, DATA_DIR/keys/ticket-keys/<keyId>.key. The ring's first member stays
 * in keys/ticket-signing.key, where it was before the ring.
 */
export const loadTicketKeys = (dataDir: string): LogSigningKey[] => loadRing(dataDir, 'ticket-keys')
export const saveTicketKey = (dataDir: string, keyId: string, key: LogSigningKey): void => saveRingKey(dataDir, 'ticket-keys', keyId, key)

/** Every certificate key, DATA_DIR/keys/certificate-keys/<keyId>.key; none in a new data folder (the server makes the first). */
export const loadCertificateKeys = (dataDir: string): LogSigningKey[] => loadRing(dataDir, 'certificate-keys')
export const saveCertificateKey = (dataDir: string, keyId: string, key: LogSigningKey): void => saveRingKey(dataDir, 'certificate-keys', keyId, key)

// ---------- master keys of the paper encryption (docs/decisions/003-paper-encryption.md) ----------

const MASTER_FILE = /^master-([A-Za-z0-9][A-Za-z0-9_-]{0,99})\.key$/
const masterFile = (dataDir: string, id: string): string => {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(id)) throw new RangeError(`master key id ${JSON.stringify(id)} cannot name a file`)
  return join(keysDir(dataDir), `master-${id}.key`)
}

/**
 * Every plain master key in DATA_DIR/keys/master-<id>.key, oldest first (the last one wraps new data keys
 * until a key ceremony converts them). None is ever created: a new data folder has none, and its papers are
 * wrapped to the split paper key (docs/decisions/008-split-master-key.md). Each file: { id, key (hex), createdAt }.
 */
export function loadMasterKeys(dataDir: string): { keys: MasterKey[] } {
  const found: Array<{ key: MasterKey; createdAt: string }> = []
  for (const f of readdirSync(keysDir(dataDir))) {
    if (!MASTER_FILE.test(f)) continue
    const parsed = JSON.parse(readFileSync(join(keysDir(dataDir), f), 'utf8')) as { id: string; key: string; createdAt: string }
    const key = fromHex(parsed.key)
    if (key.length !== 32 || `master-${parsed.id}.key` !== f) throw new Error(`${f}: not a master key file of this server`)
    found.push({ key: { id: parsed.id, key }, createdAt: parsed.createdAt })
  }
  found.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.key.id.localeCompare(b.key.id))
  return { keys: found.map((f) => f.key) }
}

/** Writes a master key file (0600) via a temporary file and a rename. */
export function saveMasterKey(dataDir: string, key: MasterKey, now: number): void {
  const file = masterFile(dataDir, key.id)
  const tmp = `${file}.tmp`
  writeFileSync(tmp, JSON.stringify({ id: key.id, key: toHex(key.key), createdAt: new Date(now).toISOString() }) + '\n', { mode: 0o600 })
  chmodSync(tmp, 0o600)
  renameSync(tmp, file)
}

/** Deletes a retired master key's file: no wrapped key names it any more. */
export function removeMasterKey(dataDir: string, id: string): void {
  rmSync(masterFile(dataDir, id), { force: true })
}

/** The keeper the paper service uses to keep and retire master keys in the data folder. */
export const masterKeyFiles = (dataDir: string, clock: () => number): MasterKeyKeeper => ({
  save: (key) => saveMasterKey(dataDir, key, clock()),
  remove: (id) => removeMasterKey(dataDir, id),
})
