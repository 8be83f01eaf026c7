import { Database } from 'bun:sqlite'
import { mkdtempSync, readdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { openNote } from '../audit/index.ts'
import { type TicketPayload, ed25519, fromBase64, ticketKeyIdOf, verifyTicketRing } from '../crypto/index.ts'
import type { LogSigningKey } from '../server/services/index.ts'
import { loadTicketKeys, saveTicketKey } from '../server/keystore.ts'
import { ticketKeyId } from '../server/services/ticket-keys.ts'
import { type TestApp, makeTestApp, testLogKey } from './_app.ts'
import { addCandidates, attach, eventsSince, makeRooms, seedLifecycle } from './_rooms-fixture.ts'

interface IssuedTicket {
  number: string
  candidateId: string
  payload: string
}
interface KeyJson {
  keyId: string
  name: string
  publicKey: string
  createdAt: string
  retiredAt: string | null
  active: boolean
  liveTickets: number
}

async function world(app: TestApp = makeTestApp()) {
  const reg = await app.userWith(['registrar'])
  const admin = await app.userWith(['admin'])
  const f = seedLifecycle(app)
  const { rooms } = await makeRooms(app, reg.cookie, [{ name: '101', kind: 'theory', capacity: 30 }])
  await attach(app, reg.cookie, f.sessions.theory, [rooms['101']!])
  await attach(app, reg.cookie, f.sessions.practical, [rooms['101']!])
  const cands = addCandidates(app, f.batchId, 6)
  for (const s of [f.sessions.theory, f.sessions.practical]) await app.call('POST', `/api/sessions/${s}/seating`, { cookie: reg.cookie, body: { seed: 's' } })
  const issue = async (sessionId: string, candidateIds?: string[]) => {
    const res = await app.call('POST', `/api/sessions/${sessionId}/tickets`, { cookie: reg.cookie, body: candidateIds ? { candidateIds } : undefined })
    expect(res.status).toBe(201)
    return ((await res.json()) as { issued: IssuedTicket[] }).issued
  }
  const keys = async (cookie = admin.cookie) => ((await (await app.call('GET', '/api/keys/tickets', { cookie })).json()) as { keys: KeyJson[] }).keys
  const rotate = async () => {
    const res = await app.call('POST', '/api/keys/tickets/rotate', { cookie: admin.cookie })
    expect(res.status).toBe(200)
    return (await res.json()) as KeyJson
  }
  const check = async (text: string) =>
    ((await (await app.call('POST', '/api/tickets/check', { cookie: reg.cookie, body: { text } })).json()) as { code: string }).code
  return { app, reg, admin, f, cands, issue, keys, rotate, check }
}

describe('the ring starts with the key from before it', () => {
  test('its first member is the existing ticket key, with the id GET /api/tickets/key has always given; a new log still starts empty', async () => {
    const app = makeTestApp()
    const first = app.services.ticketKey
    const { keys } = await world(app)
    const k = (await keys())[0]!
    const published = (await (await app.call('GET', '/api/tickets/key')).json()) as { keyId: string; publicKey: string }
    expect(k).toMatchObject({ keyId: published.keyId, publicKey: published.publicKey, name: first.name, active: true, retiredAt: null })
    expect(k.keyId).toBe(ticketKeyId(first))
    expect(makeTestApp().services.log.size()).toBe(0)
  })

  test('tickets issued before the ring get the first key’s id when the server starts', async () => {
    const db = new Database(':memory:')
    const app = makeTestApp({ db })
    const { f, issue } = await world(app)
    const issued = await issue(f.sessions.theory)
    // As a data folder from before the ring looks: no ring rows, no key ids on tickets.
    db.run('DROP TRIGGER ticket_keys_no_delete')
    db.run('UPDATE tickets SET key_id = NULL')
    db.run('DELETE FROM ticket_keys')
    const again = makeTestApp({ db })
    const ring = again.services.ticketKeys.list()
    expect(ring).toHaveLength(1)
    expect(ring[0]).toMatchObject({ keyId: ticketKeyId(again.services.ticketKey), liveTickets: issued.length })
    expect(db.query('SELECT count(*) AS n FROM tickets WHERE key_id IS NULL').get()).toEqual({ n: 0 })
  })

  test('a server whose active key has no private half refuses to start', async () => {
    const db = new Database(':memory:')
    const saved: LogSigningKey[] = []
    const app = makeTestApp({ db, saveTicketKey: (_id, k) => saved.push(k) })
    const { rotate } = await world(app)
    await rotate()
    expect(() => makeTestApp({ db })).toThrow(/active ticket key [0-9a-f]{8} has no private half/)
    expect(makeTestApp({ db, ticketKeys: saved }).services.ticketKeys.active().keyId).toBe(ticketKeyId(saved[0]!))
  })
})

describe('rotation (POST /api/keys/tickets/rotate)', () => {
  test('an administrator rotates: a new active key is saved, the old one retired; new tickets and badges are CT2 under the new key; one event', async () => {
    const saved: Array<{ id: string; key: LogSigningKey }> = []
    const app = makeTestApp({ saveTicketKey: (id, key) => saved.push({ id, key }) })
    const { f, cands, issue, keys, rotate } = await world(app)
    const before = await issue(f.sessions.theory, [cands[0]!.id])
    const old = (await keys())[0]!
    expect(ticketKeyIdOf(before[0]!.payload)).toBe(old.keyId)
    const from = app.services.log.size()
    const fresh = await rotate()
    expect(fresh).toMatchObject({ active: true, retiredAt: null, liveTickets: 0, name: old.name })
    expect(fresh.keyId).not.toBe(old.keyId)
    expect(saved).toHaveLength(1)
    expect(saved[0]!.id).toBe(fresh.keyId)
    expect(ed25519.publicKey(saved[0]!.key.privateKey)).toEqual(fromBase64(fresh.publicKey))
    const events = eventsSince(app, from)
    expect(events.map((e) => e.action)).toEqual(['ticket_key.rotated'])
    expect(events[0]).toMatchObject({
      subject: { type: 'ticket_key', id: fresh.keyId },
      data: { previous: old.keyId, previousVkey: expect.stringContaining(`+${old.keyId}+`) },
    })
    const ring = await keys()
    expect(ring.map((k) => [k.keyId, k.active, k.retiredAt !== null, k.liveTickets])).toEqual([
      [old.keyId, false, true, 1],
      [fresh.keyId, true, false, 0],
    ])
    const after = await issue(f.sessions.theory, [cands[1]!.id])
    expect(after[0]!.payload).toMatch(new RegExp(`^CT2\\.${fresh.keyId}\\.`))
    const published = (await (await app.call('GET', '/api/tickets/key')).json()) as { keyId: string; vkey: string }
    expect(published.keyId).toBe(fresh.keyId)
    const badges = app.services.tickets.badges(f.sessions.theory)
    if (!badges.ok) throw new Error(badges.error.code)
    for (const b of badges.value) expect(ticketKeyIdOf(b.text)).toBe(fresh.keyId)
    // The revocation list is a note signed by the active key.
    const rev = app.services.tickets.revocations(f.sessions.theory)
    if (!rev.ok) throw new Error(rev.error.code)
    expect(openNote(rev.value.note, [published.vkey]).signatures[0]).toMatchObject({ verified: true })
  })

  test('only administrators rotate: others 403, logged, and nothing changes; supervisors may read the ring', async () => {
    const { app, keys } = await world()
    const sup = await app.userWith(['supervisor'])
    for (const roles of [['supervisor'], ['registrar'], ['custodian']] as const) {
      const u = await app.userWith([...roles])
      const from = app.services.log.size()
      const res = await app.call('POST', '/api/keys/tickets/rotate', { cookie: u.cookie })
      expect(res.status).toBe(403)
      expect(eventsSince(app, from).map((e) => e.action)).toEqual(['request.refused'])
    }
    expect(await keys(sup.cookie)).toHaveLength(1)
    const reg = await app.userWith(['registrar'])
    expect((await app.call('GET', '/api/keys/tickets', { cookie: reg.cookie })).status).toBe(403)
    expect((await app.call('POST', '/api/keys/tickets/rotate')).status).toBe(401)
  })
})

describe('which keys are valid for a session', () => {
  test('the active key for every session; a retired key only while a live ticket of the session carries it', async () => {
    const { app, f, cands, issue, rotate, reg } = await world()
    const k = app.services.ticketKeys
    const [old] = await issue(f.sessions.theory, [cands[0]!.id])
    const oldId = ticketKeyIdOf(old!.payload)!
    const fresh = await rotate()
    expect(k.keysForSession(f.sessions.theory).map((x) => x.keyId)).toEqual([fresh.keyId, oldId])
    expect(k.keysForSession(f.sessions.practical).map((x) => x.keyId)).toEqual([fresh.keyId])
    expect(k.keysForSession(f.sessions.theory)[1]!.publicKey).toBe(k.list()[0]!.publicKey)
    // Its last live ticket revoked, the old key is no longer valid for the session.
    await app.call('POST', `/api/tickets/${old!.number}/revoke`, { cookie: reg.cookie, body: { reason: '补办' } })
    expect(k.keysForSession(f.sessions.theory).map((x) => x.keyId)).toEqual([fresh.keyId])
  })

  test('the server check accepts a ticket under any key valid for its session, and says unknown_key for a key not valid there', async () => {
    const { app, f, cands, issue, rotate, check } = await world()
    const [old] = await issue(f.sessions.theory, [cands[0]!.id])
    await rotate()
    const [fresh] = await issue(f.sessions.theory, [cands[1]!.id])
    expect(await check(old!.payload)).toBe('ok')
    expect(await check(fresh!.payload)).toBe('ok')
    // A ticket for the practical session signed by the retired key (as a leaked old key would make) is not accepted there.
    const oldKey = app.services.ticketKey
    const { signTicketV2, ticketIdentity } = await import('../crypto/index.ts')
    const payload: TicketPayload = {
      type: 'ticket',
      number: '2026-FORGED-00001',
      candidateId: cands[2]!.id,
      examSessionId: f.sessions.practical,
      roomId: 'r',
      seat: 1,
      identity: ticketIdentity('2026-FORGED-00001', 'x', 'y'),
    }
    expect(await check(signTicketV2(payload, ticketKeyId(oldKey), (m) => ed25519.sign(oldKey.privateKey, m)))).toBe('ticket.unknown_key')
    // A key id the ring never had: unknown_key; a ring key id with a bad signature: bad_signature (forged).
    const stranger = testLogKey(9)
    expect(await check(signTicketV2(payload, ticketKeyId(stranger), (m) => ed25519.sign(stranger.privateKey, m)))).toBe('ticket.unknown_key')
    expect(await check(signTicketV2({ ...payload, examSessionId: f.sessions.theory }, ticketKeyId(oldKey), (m) => ed25519.sign(stranger.privateKey, m)))).toBe(
      'ticket.bad_signature',
    )
    // What a door holds for the session verifies both live tickets offline.
    const ring = app.services.ticketKeys.keysForSession(f.sessions.theory).map((x) => ({ keyId: x.keyId, publicKey: fromBase64(x.publicKey) }))
    for (const t of [old!, fresh!]) expect(verifyTicketRing(t.payload, ring)).toMatchObject({ ok: true, version: 2 })
  })
})

describe('the data folder (DATA_DIR/keys/ticket-keys/<keyId>.key)', () => {
  test('a rotated key is saved owner-only under its id and loaded back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'custody-ticket-keys-'))
    expect(loadTicketKeys(dir)).toEqual([])
    const key = testLogKey(5, 'custody-tickets')
    const id = ticketKeyId(key)
    saveTicketKey(dir, id, key)
    const folder = join(dir, 'keys', 'ticket-keys')
    expect(readdirSync(folder)).toEqual([`${id}.key`])
    expect(statSync(join(folder, `${id}.key`)).mode & 0o777).toBe(0o600)
    expect(loadTicketKeys(dir)).toEqual([key])
    expect(() => saveTicketKey(dir, '../x', key)).toThrow('cannot name a file')
  })
})
