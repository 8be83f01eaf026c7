import type { Database } from 'bun:sqlite'
import { formatVkey, keyId, keyIdHex } from '../../audit/index.ts'
import { type TicketKey, ed25519, toBase64, toHex, sha256 } from '../../crypto/index.ts'
import { type Result, ok, refuse } from '../domain/_result.ts'
import type { TicketKeyRecord, TicketKeyStore } from '../db/ticket-key-store.ts'
import type { TicketStore } from '../db/ticket-store.ts'
import { type Person, domainActor, iso } from './_acting.ts'
import type { CustodyLog, LogSigningKey } from './custody-log.ts'

export type TicketKeyCode = 'ticket_key.not_allowed_for_role'
export type TicketKeyRefusal = { code: TicketKeyCode }

/** A ring key's id: the signed-note key id of (name, public key), 8 hex (as GET /api/tickets/key has always said). */
export const ticketKeyId = (k: Pick<LogSigningKey, 'name' | 'publicKey'>): string => keyIdHex(keyId(k.name, k.publicKey))

/** A ring key as the /admin/keys page lists it. */
export interface TicketKeyView {
  keyId: string
  name: string
  publicKey: string
  vkey: string
  createdAt: number
  retiredAt: number | null
  active: boolean
  /** Live (not revoked) tickets this key signed. */
  liveTickets: number
}

/** Where a new key's private half is kept: DATA_DIR/keys/ticket-keys/<keyId>.key (0600); tests keep it in memory. */
export type SaveTicketKey = (keyId: string, key: LogSigningKey) => void

/**
 * The ticket key ring (decision 011): one active key signs new tickets and badges; rotating makes a new active key
 * and retires the old one for new signatures only. A key stays valid for a session while a live ticket of that
 * session carries its id; the active key is valid for every session. The key that existed before the ring is
 * its first member.
 */
export class TicketKeys {
  private readonly privates = new Map<string, LogSigningKey>()
  private readonly signers = new Map<string, (m: Uint8Array) => Uint8Array>()

  constructor(
    private readonly db: Database,
    private readonly store: TicketKeyStore,
    /** Which key signed which ticket. */
    private readonly tickets: Pick<TicketStore, 'backfillKeyId' | 'liveCountsByKey' | 'liveKeysOfSession'>,
    private readonly log: CustodyLog,
    private readonly clock: () => number,
    /** The private halves this server holds: the key from before the ring first, then the ring's files. */
    keys: readonly LogSigningKey[],
    private readonly save: SaveTicketKey = () => {},
  ) {
    if (keys.length === 0) throw new Error('the ticket key ring needs at least its first key')
    for (const k of keys) this.privates.set(ticketKeyId(k), k)
    this.first = keys[0]!
  }
  private readonly first: LogSigningKey

  /**
   * On start: an empty ring gets its first member (the key from before the ring), and tickets issued before the
   * ring are marked as signed by it. Like a migration, this writes no log event: it records what already was (that
   * key's public half was published and every ticket before it was signed by it), and a new log starts empty. The
   * first rotation's event names it (`previousVkey`). The active key's private half must be among those given.
   */
  start(): void {
    if (this.store.all().length === 0) {
      this.db
        .transaction(() => {
          const id = ticketKeyId(this.first)
          this.store.insert({ keyId: id, name: this.first.name, publicKey: this.first.publicKey, createdAt: this.clock(), retiredAt: null })
          this.tickets.backfillKeyId(id)
        })
        .immediate()
    }
    const a = this.activeRecord()
    if (a && !this.privates.has(a.keyId))
      throw new Error(`the active ticket key ${a.keyId} has no private half in the data folder (keys/ticket-keys/${a.keyId}.key)`)
  }

  private activeRecord(): TicketKeyRecord | null {
    return this.store.all().find((k) => k.retiredAt === null) ?? null
  }

  /** The key that signs new tickets and badges now. */
  active(): { keyId: string; key: LogSigningKey } {
    const a = this.activeRecord()
    const key = a ? this.privates.get(a.keyId)! : this.first // an empty ring only while the log is damaged (no writes)
    return { keyId: ticketKeyId(key), key }
  }

  /** Signs with the active key (node:crypto when installed: Ed25519 is deterministic, the texts are the same). */
  signer(): { keyId: string; sign: (m: Uint8Array) => Uint8Array } {
    const { keyId: id, key } = this.active()
    let sign = this.signers.get(id)
    if (!sign) this.signers.set(id, (sign = ed25519.nativeSigner(key.privateKey)))
    return { keyId: id, sign }
  }

  /** Every ring key, oldest first, with how many live tickets each signed. */
  list(): TicketKeyView[] {
    const counts = this.tickets.liveCountsByKey()
    const activeId = this.active().keyId
    return this.store.all().map((k) => ({
      keyId: k.keyId,
      name: k.name,
      publicKey: toBase64(k.publicKey),
      vkey: formatVkey(k.name, k.publicKey),
      createdAt: k.createdAt,
      retiredAt: k.retiredAt,
      active: k.keyId === activeId,
      liveTickets: counts.get(k.keyId) ?? 0,
    }))
  }

  /** Every key the ring ever had (a ticket's session is known only once its signature is checked). */
  allKeys(): TicketKey[] {
    const all = this.store.all().map((k) => ({ keyId: k.keyId, publicKey: k.publicKey }))
    return all.length > 0 ? all : [{ keyId: this.active().keyId, publicKey: this.first.publicKey }]
  }

  /** The keys valid for a session, as verifiers take them: the active key, and each key that signed a live ticket of it. */
  ringForSession(sessionId: string): TicketKey[] {
    const live = new Set(this.tickets.liveKeysOfSession(sessionId))
    const activeId = this.active().keyId
    const all = this.store.all()
    const out = all.filter((k) => k.keyId === activeId || live.has(k.keyId)).map((k) => ({ keyId: k.keyId, publicKey: k.publicKey }))
    if (out.length === 0) out.push({ keyId: activeId, publicKey: this.active().key.publicKey })
    return out
  }

  /** The keys valid for a session, for the room package: `{ keyId, publicKey (base64) }`, the active key first. */
  keysForSession(sessionId: string): Array<{ keyId: string; publicKey: string }> {
    const activeId = this.active().keyId
    return this.ringForSession(sessionId)
      .sort((a, b) => Number(b.keyId === activeId) - Number(a.keyId === activeId))
      .map((k) => ({ keyId: k.keyId, publicKey: toBase64(k.publicKey) }))
  }

  /**
   * Rotates (admin): a new key, saved to the data folder first, becomes active; the old one is retired for new
   * signatures and stays valid for the sessions whose live tickets it signed. One event.
   */
  rotate(caller: Person): Result<TicketKeyView, TicketKeyRefusal> {
    if (!domainActor(caller).roles.includes('admin')) return refuse({ code: 'ticket_key.not_allowed_for_role' })
    const old = this.active()
    const privateKey = ed25519.generatePrivateKey()
    const key: LogSigningKey = { name: old.key.name, privateKey, publicKey: ed25519.publicKey(privateKey) }
    const id = ticketKeyId(key)
    // The private half is on disk before the ring names it: a crash in between leaves an unused file, never a key without its half.
    this.save(id, key)
    this.privates.set(id, key)
    this.db
      .transaction(() => {
        const now = this.clock()
        this.store.retire(old.keyId, now)
        this.store.insert({ keyId: id, name: key.name, publicKey: key.publicKey, createdAt: now, retiredAt: null })
        this.log.append({
          actor: caller,
          action: 'ticket_key.rotated',
          subject: { type: 'ticket_key', id },
          data: {
            previous: old.keyId,
            previousVkey: formatVkey(old.key.name, old.key.publicKey),
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
