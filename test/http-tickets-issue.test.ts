import { describe, expect, test } from 'vitest'
import { openNote, parseVkey } from '../audit/index.ts'
import { fromBase64, ticketMatchesIdentity, verifyTicket, type TicketPayload } from '../crypto/index.ts'
import { parseRevocationNoteText } from '../server/domain/tickets/index.ts'
import { makeTestApp } from './_app.ts'
import { addCandidates, attach, eventsSince, makeRooms, seedLifecycle } from './_rooms-fixture.ts'

interface IssuedTicket {
  number: string
  candidateId: string
  roomId: string
  seat: number
  payload: string
  revokedAt: string | null
}

async function world(n = 20) {
  const app = makeTestApp()
  const reg = await app.userWith(['registrar'])
  const f = seedLifecycle(app)
  const { rooms } = await makeRooms(app, reg.cookie, [{ name: '101', kind: 'theory', capacity: 30 }])
  await attach(app, reg.cookie, f.sessions.theory, [rooms['101']!])
  const cands = addCandidates(app, f.batchId, n)
  await app.call('POST', `/api/sessions/${f.sessions.theory}/seating`, { cookie: reg.cookie, body: { seed: 's' } })
  const issue = (body?: unknown) => app.call('POST', `/api/sessions/${f.sessions.theory}/tickets`, { cookie: reg.cookie, body })
  return { app, reg, f, rooms, cands, issue }
}
const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code

describe('the ticket key', () => {
  test('is published (public) as base64 with its key id, and as a signed-note verifier key', async () => {
    const app = makeTestApp()
    const res = await app.call('GET', '/api/tickets/key')
    expect(res.status).toBe(200)
    const k = (await res.json()) as { keyId: string; publicKey: string; algorithm: string; vkey: string; name: string }
    expect(k.algorithm).toBe('Ed25519')
    expect(fromBase64(k.publicKey)).toEqual(app.services.ticketKey.publicKey)
    expect(k.keyId).toMatch(/^[0-9a-f]{8}$/)
    expect(parseVkey(k.vkey)).toMatchObject({ name: 'custody.test/tickets', publicKey: app.services.ticketKey.publicKey })
    expect(k.vkey.split('+')[1]).toBe(k.keyId)
  })
})

describe('issuing admission tickets (R3.3–R3.5)', () => {
  test('every seated candidate gets one ticket whose QR verifies with the published key and binds name and ID number', async () => {
    const { app, f, cands, issue } = await world()
    const res = await issue()
    expect(res.status).toBe(201)
    const { issued, skipped } = (await res.json()) as { issued: IssuedTicket[]; skipped: unknown[] }
    expect(issued).toHaveLength(20)
    expect(skipped).toEqual([])
    expect(issued.map((t) => t.number)).toEqual(Array.from({ length: 20 }, (_, i) => `2026-3F9A1C-${String(i + 1).padStart(5, '0')}`))
    const key = fromBase64(((await (await app.call('GET', '/api/tickets/key')).json()) as { publicKey: string }).publicKey)
    for (const t of issued) {
      const v = verifyTicket(t.payload, key)
      if (!v.ok) throw new Error(v.error.code)
      const p = v.payload as TicketPayload
      expect(p).toMatchObject({
        type: 'ticket',
        number: t.number,
        candidateId: t.candidateId,
        examSessionId: f.sessions.theory,
        roomId: t.roomId,
        seat: t.seat,
      })
      const c = cands.find((x) => x.id === t.candidateId)!
      expect(ticketMatchesIdentity(p, c.name, c.residentId)).toBe(true)
      expect(ticketMatchesIdentity(p, c.name, '110105199001019999')).toBe(false)
    }
  })

  test('each ticket is one ticket.issued event (subject: its number) with the candidate id and no personal data', async () => {
    const { app, cands, issue } = await world(3)
    const before = app.services.log.size()
    const { issued } = (await (await issue()).json()) as { issued: IssuedTicket[] }
    const events = eventsSince(app, before)
    expect(events.map((e) => [e.action, e.subject?.id])).toEqual(issued.map((t) => ['ticket.issued', t.number]))
    const text = JSON.stringify(events)
    for (const c of cands) {
      expect(text).not.toContain(c.name)
      expect(text).not.toContain(c.residentId)
    }
    expect(events[0]!.data).toMatchObject({ candidate: issued[0]!.candidateId, residentIdHash: expect.stringMatching(/^[0-9a-f]{64}$/) })
  })

  test('issuing again gives nobody a second live ticket; a later candidate gets the next number', async () => {
    const { app, reg, f, issue } = await world(5)
    await issue()
    const again = (await (await issue()).json()) as { issued: unknown[] }
    expect(again.issued).toEqual([])
    const [late] = addCandidates(app, f.batchId, 1)
    await app.call('POST', `/api/sessions/${f.sessions.theory}/seating`, { cookie: reg.cookie, body: { seed: 't' } })
    const next = (await (await issue({ candidateIds: [late!.id] })).json()) as { issued: IssuedTicket[] }
    expect(next.issued.map((t) => t.number)).toEqual(['2026-3F9A1C-00006'])
    const dup = await issue({ candidateIds: [late!.id] })
    expect(await code(dup)).toBe('ticket.already_issued')
  })

  test('an unpaid candidate is refused (ticket.not_paid, naming the candidate), logged, and nothing is issued', async () => {
    const { app, f, cands, issue } = await world(3)
    const [unpaid] = addCandidates(app, f.batchId, 1, { paid: false })
    const before = app.services.log.size()
    const res = await issue({ candidateIds: [cands[0]!.id, unpaid!.id] })
    expect(res.status).toBe(409)
    expect(await res.json()).toMatchObject({ error: { code: 'ticket.not_paid', details: { candidateId: unpaid!.id } } })
    expect(eventsSince(app, before)).toMatchObject([{ action: 'ticket.issue', outcome: 'refused', data: { code: 'ticket.not_paid', candidate: unpaid!.id } }])
    expect(app.services.db.query('SELECT count(*) AS n FROM tickets').get()).toEqual({ n: 0 }) // all or nothing
  })

  test('a candidate not approved, or approved and paid but not seated, is refused (ticket.not_approved, ticket.not_seated)', async () => {
    const { app, f, issue } = await world(3)
    const [pending] = addCandidates(app, f.batchId, 1, { status: 'registered' })
    expect(await code(await issue({ candidateIds: [pending!.id] }))).toBe('ticket.not_approved')
    const [unseated] = addCandidates(app, f.batchId, 1)
    expect(await code(await issue({ candidateIds: [unseated!.id] }))).toBe('ticket.not_seated')
    expect(await code(await issue({ candidateIds: ['cand-nobody'] }))).toBe('ticket.candidate_not_found')
  })

  test('in a bulk run, seated candidates who lost eligibility are skipped and named', async () => {
    const { app, cands, issue } = await world(4)
    app.services.db.run('DELETE FROM payments WHERE candidate_id = ?', [cands[1]!.id])
    const { issued, skipped } = (await (await issue()).json()) as { issued: IssuedTicket[]; skipped: unknown[] }
    expect(issued).toHaveLength(3)
    expect(skipped).toEqual([{ candidateId: cands[1]!.id, code: 'ticket.not_paid' }])
  })
})

describe('revocation', () => {
  test("a revoked ticket is on the session's signed revocation list, which verifies with the published vkey", async () => {
    const { app, reg, f, issue } = await world(5)
    const { issued } = (await (await issue()).json()) as { issued: IssuedTicket[] }
    const before = app.services.log.size()
    const res = await app.call('POST', `/api/tickets/${issued[2]!.number}/revoke`, { cookie: reg.cookie, body: { reason: '考生申请退考' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ number: issued[2]!.number, revokeReason: '考生申请退考', revokedAt: expect.any(String) })
    expect(eventsSince(app, before)).toMatchObject([
      { action: 'ticket.revoked', subject: { type: 'ticket', id: issued[2]!.number }, data: { reason: '考生申请退考' } },
    ])

    const again = await app.call('POST', `/api/tickets/${issued[2]!.number}/revoke`, { cookie: reg.cookie, body: { reason: 'x' } })
    expect(await code(again)).toBe('ticket.already_revoked')
    expect((await app.call('POST', '/api/tickets/2026-NOPE-00001/revoke', { cookie: reg.cookie, body: { reason: 'x' } })).status).toBe(404)

    const inv = await app.userWith(['invigilator'])
    await app.call('POST', `/api/sessions/${f.sessions.theory}/staff`, {
      cookie: reg.cookie,
      body: { userId: inv.id, duty: 'invigilator', roomId: issued[0]!.roomId },
    })
    const list = (await (await app.call('GET', `/api/sessions/${f.sessions.theory}/revocations`, { cookie: inv.cookie })).json()) as {
      note: string
      revoked: Array<{ number: string }>
    }
    expect(list.revoked.map((r) => r.number)).toEqual([issued[2]!.number])
    const { vkey } = (await (await app.call('GET', '/api/tickets/key')).json()) as { vkey: string }
    const opened = openNote(list.note, [vkey])
    expect(opened.signatures).toEqual([expect.objectContaining({ verified: true })])
    expect(parseRevocationNoteText(opened.text)).toMatchObject({ sessionId: f.sessions.theory, numbers: [issued[2]!.number] })
    // A list edited on the way does not verify.
    const forged = list.note.replace(`revoked 1\n${issued[2]!.number}\n`, 'revoked 0\n')
    expect(openNote(forged, [vkey]).signatures).toEqual([expect.objectContaining({ known: true, verified: false })])
  })

  test('the door check: a good ticket passes, a tampered one fails the signature, a revoked one is refused, a wrong ID is a mismatch', async () => {
    const { app, reg, cands, issue } = await world(3)
    const { issued } = (await (await issue()).json()) as { issued: IssuedTicket[] }
    const inv = await app.userWith(['supervisor'])
    const check = async (body: unknown) =>
      (await (await app.call('POST', '/api/tickets/check', { cookie: inv.cookie, body })).json()) as { code: string; identityMatches: boolean | null }
    const t = issued[0]!
    const c = cands.find((x) => x.id === t.candidateId)!
    expect(await check({ text: t.payload, name: c.name, residentId: c.residentId })).toEqual(expect.objectContaining({ code: 'ok', identityMatches: true }))
    expect((await check({ text: t.payload, name: c.name, residentId: '110105199001019999' })).code).toBe('ticket.identity_mismatch')
    const [head, keyId, body, sig] = t.payload.split('.') // CT2: the key ring names the signing key
    expect(head).toBe('CT2')
    const flipped = body!.slice(0, 10) + (body![10] === 'A' ? 'B' : 'A') + body!.slice(11)
    expect((await check({ text: `${head}.${keyId}.${flipped}.${sig}` })).code).toBe('ticket.bad_signature')
    expect((await check({ text: 'not a ticket' })).code).toBe('ticket.malformed')
    await app.call('POST', `/api/tickets/${t.number}/revoke`, { cookie: reg.cookie, body: { reason: '补办' } })
    expect((await check({ text: t.payload })).code).toBe('ticket.revoked')
  })
})
