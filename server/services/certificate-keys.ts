import type { Database } from 'bun:sqlite'
import { formatVkey, keyId, keyIdHex } from '../../audit/index.ts'
import { type CertificateKey, ed25519, sha256, toBase64, toHex } from '../../crypto/index.ts'
import { type Result, ok, refuse } from '../domain/_result.ts'
import type { CertificateStore } from '../db/certificate-store.ts'
import { type Person, domainActor, iso } from './_acting.ts'
import type { CustodyLog, LogSigningKey } from './custody-log.ts'

export type CertificateKeyCode = 'certificate_key.not_allowed_for_role'
export type CertificateKeyRefusal = { code: CertificateKeyCode }

/** The name every certificate key carries (its key id is the signed-note key id of this name and the public key). */
export const CERTIFICATE_KEY_NAME = 'custody-certificates'

/** A ring key's id: 8 hex (docs/certificate-format.md). */
export const certificateKeyId = (k: Pick<LogSigningKey, 'name' | 'publicKey'>): string => keyIdHex(keyId(k.name, k.publicKey))

/** A ring key as the /admin/keys page lists it. */
export interface CertificateKeyView {
  keyId: string
  publicKey: string
  vkey: string
  createdAt: number
  retiredAt: number | null
  active: boolean
  /** Valid (not revoked) certificates this key signed. */
  liveCertificates: number
}

/** Where a new key's private half is kept: DATA_DIR/keys/certificate-keys/<keyId>.key (0600); tests keep it in memory. */
export type SaveCertificateKey = (keyId: string, key: LogSigningKey) => void

export const newCertificateKey = (): LogSigningKey => {
  const privateKey = ed25519.generatePrivateKey()
  return { name: CERTIFICATE_KEY_NAME, privateKey, publicKey: ed25519.publicKey(privateKey) }
}

/**
 * The body's certificate key ring (R8.1): one active key signs new e-certificates; rotating makes a new active
 * key and retires the old one for new signatures. Every key that signed a live certificate stays published, so
 * a certificate's QR still verifies after a rotation. A data folder without a key gets one at first start.
 */
export class CertificateKeys {
  private readonly privates = new Map<string, LogSigningKey>()
  private readonly signers = new Map<string, (m: Uint8Array) => Uint8Array>()

  constructor(
    private readonly db: Database,
    private readonly store: Pick<CertificateStore, 'keys' | 'insertKey' | 'retireKey' | 'liveCountsByKey'>,
    private readonly log: CustodyLog,
    private readonly clock: () => number,
    /** The private halves this server holds (DATA_DIR/keys/certificate-keys/*.key); none: one is made and saved. */
    keys: readonly LogSigningKey[],
    private readonly save: SaveCertificateKey = () => {},
  ) {
    for (const k of keys) this.privates.set(certificateKeyId(k), k)
  }

  /**
   * On start: the active key's private half must be among those held. An empty ring stays empty: its first key is
   * made when the first certificate is signed, in that certificate's transaction (so a new data folder's log starts
   * empty, and the key's making is an event beside the first thing it signed).
   */
  start(): void {
    const a = this.activeRow()
    if (a && !this.privates.has(a.keyId))
      throw new Error(`the active certificate key ${a.keyId} has no private half in the data folder (keys/certificate-keys/${a.keyId}.key)`)
  }

  private activeRow() {
    return this.store.keys().find((k) => k.retiredAt === null) ?? null
  }

  /** The active key, or null while the ring is empty (no certificate signed yet). */
  active(): { keyId: string; key: LogSigningKey } | null {
    const a = this.activeRow()
    return a ? { keyId: a.keyId, key: this.privates.get(a.keyId)! } : null
  }

  /**
   * The active key, making the first one if the ring is empty: a key held from the data folder (a file saved by an
   * earlier attempt whose transaction did not commit) or a new one, saved before the ring names it. Runs inside the
   * caller's transaction when there is one (bun:sqlite nests it as a savepoint).
   */
  private ensureActive(): { keyId: string; key: LogSigningKey } {
    const a = this.active()
    if (a) return a
    const key = this.privates.size > 0 ? [...this.privates.values()][0]! : newCertificateKey()
    const id = certificateKeyId(key)
    if (!this.privates.has(id)) {
      this.save(id, key)
      this.privates.set(id, key)
    }
    this.db.transaction(() => {
      this.store.insertKey({ keyId: id, name: key.name, publicKey: key.publicKey, createdAt: this.clock(), retiredAt: null })
      this.log.append({
        actor: { system: 'custody-server' },
        action: 'certificate_key.created',
        subject: { type: 'certificate_key', id },
        data: { vkey: formatVkey(key.name, key.publicKey), publicKeySha256: toHex(sha256(key.publicKey)) },
      })
    })()
    return { keyId: id, key }
  }

  /** Signs with the active key, made first if there is none (node:crypto when installed: Ed25519 is deterministic, the texts are the same). */
  signer(): { keyId: string; sign: (m: Uint8Array) => Uint8Array } {
    const { keyId: id, key } = this.ensureActive()
    let sign = this.signers.get(id)
    if (!sign) this.signers.set(id, (sign = ed25519.nativeSigner(key.privateKey)))
    return { keyId: id, sign }
  }

  /** Every ring key, oldest first, with how many live certificates each signed. */
  list(): CertificateKeyView[] {
    const counts = this.store.liveCountsByKey()
    const activeId = this.activeRow()?.keyId
    return this.store.keys().map((k) => ({
      keyId: k.keyId,
      publicKey: toBase64(k.publicKey),
      vkey: formatVkey(k.name, k.publicKey),
      createdAt: k.createdAt,
      retiredAt: k.retiredAt,
      active: k.keyId === activeId,
      liveCertificates: counts.get(k.keyId) ?? 0,
    }))
  }

  /** The keys a verifier needs (published on GET /api/public/certificate-keys): the active key and every key that signed a live certificate. */
  published(): CertificateKey[] {
    const counts = this.store.liveCountsByKey()
    const activeId = this.activeRow()?.keyId
    return this.store
      .keys()
      .filter((k) => k.keyId === activeId || (counts.get(k.keyId) ?? 0) > 0)
      .map((k) => ({ keyId: k.keyId, publicKey: k.publicKey }))
  }

  /** Every key the ring ever had (the server reads its own stored certificates with them). */
  allKeys(): CertificateKey[] {
    return this.store.keys().map((k) => ({ keyId: k.keyId, publicKey: k.publicKey }))
  }

  /** Rotates (admin): a new key, saved to the data folder first, becomes active; the old one (if any) signs no more. One event. */
  rotate(caller: Person): Result<CertificateKeyView, CertificateKeyRefusal> {
    if (!domainActor(caller).roles.includes('admin')) return refuse({ code: 'certificate_key.not_allowed_for_role' })
    const old = this.activeRow()
    const key = newCertificateKey()
    const id = certificateKeyId(key)
    this.save(id, key) // on disk before the ring names it
    this.privates.set(id, key)
    this.db
      .transaction(() => {
        const now = this.clock()
        if (old) this.store.retireKey(old.keyId, now)
        this.store.insertKey({ keyId: id, name: key.name, publicKey: key.publicKey, createdAt: now, retiredAt: null })
        this.log.append({
          actor: caller,
          action: 'certificate_key.rotated',
          subject: { type: 'certificate_key', id },
          data: {
            previous: old?.keyId ?? null,
            retiredAt: iso(now),
            vkey: formatVkey(key.name, key.publicKey),
            publicKeySha256: toHex(sha256(key.publicKey)),
          },
        })
      })
      .immediate()
    return ok(this.list().find((k) => k.keyId === id)!)
  }
}
