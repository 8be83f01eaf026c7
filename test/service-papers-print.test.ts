import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { PaperCryptoError, generateMasterKey, masterKeyIdOf, readPaperHeader, unwrapKey, utf8 } from '../crypto/index.ts'
import type { Paper } from '../server/domain/custody/index.ts'
import type { MasterKeyKeeper } from '../server/services/papers.ts'
import { IN_WINDOW, type PapersWorld, contains, fakePdf, papersWorld } from './_papers-fixture.ts'
import { eventsSince } from './_rooms-fixture.ts'

const must = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.error)}`)
  return r.value
}
const codeOf = (r: { ok: boolean; error?: unknown }) => (r.ok ? 'ok' : (r.error as { code: string }).code)

async function paperWithFile(w: PapersWorld, bytes = fakePdf(200_000), kind: Paper['kind'] = 'paper_a') {
  const p = w.app.services.papers
  const paper = must(p.create(w.custodian.person, w.sessions.theory, { kind, title: `Theory ${kind}` }))
  const up = must(await p.upload(w.custodian.person, paper.id, { filename: 'a.pdf', contentType: 'application/pdf', body: [bytes] }))
  return { paper, file: up.file, bytes }
}

async function approvedJob(w: PapersWorld, input = {}) {
  const p = w.app.services.papers
  const { paper, file, bytes } = await paperWithFile(w)
  const job = must(p.requestPrint(w.custodian.person, paper.id, input))
  must(await p.approve(w.custodian.person, job.id, w.custodian.passphrase))
  must(await p.approve(w.custodian2.person, job.id, w.custodian2.passphrase))
  return { paper, file, bytes, job }
}

async function drain(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  for await (const c of body) parts.push(c.slice())
  return new Uint8Array(Buffer.concat(parts))
}

describe('uploads are encrypted on the way in (R5.1)', () => {
  test('the stored blob is the container: no plaintext in it, its SHA-256 recorded, its data key wrapped to its file id', async () => {
    const w = await papersWorld({ legacy: true }) // a data folder with a plain master key (003); the split key: test/service-key-ceremony.test.ts
    const { file, bytes } = await paperWithFile(w)
    const stored = w.blobs.bytesOf(file.fileId)!
    expect(new TextDecoder().decode(stored.subarray(0, 8))).toBe('CUSTODYP')
    expect(contains(stored, utf8('CONFIDENTIAL-EXAM-TEXT'))).toBe(false)
    expect(file.plaintextBytes).toBe(bytes.length)
    expect(file.cipherBytes).toBe(stored.length)
    expect(file.cipherSha256).toBe(createHash('sha256').update(stored).digest('hex'))
    expect(readPaperHeader(stored).fileId).toBe(file.fileId)
    const keys = w.app.services.papers.keys.all()
    expect(masterKeyIdOf(file.wrappedKey)).toBe(w.app.services.papers.keys.current!.id)
    expect(unwrapKey(file.wrappedKey, keys, { context: file.fileId })).toHaveLength(32)
    expect(() => unwrapKey(file.wrappedKey, keys, { context: 'another-file' })).toThrow(PaperCryptoError)
  })

  test('each upload gets its own file id and data key; a replacement removes the old ciphertext', async () => {
    const w = await papersWorld({ legacy: true })
    const p = w.app.services.papers
    const { paper, file } = await paperWithFile(w)
    const again = must(await p.upload(w.custodian.person, paper.id, { filename: 'b.pdf', contentType: 'application/pdf', body: [fakePdf(1000)] }))
    expect(again.file.fileId).not.toBe(file.fileId)
    const k1 = unwrapKey(file.wrappedKey, p.keys.all(), { context: file.fileId })
    const k2 = unwrapKey(again.file.wrappedKey, p.keys.all(), { context: again.file.fileId })
    expect(Buffer.from(k1).equals(Buffer.from(k2))).toBe(false)
    expect(await w.blobs.exists(file.fileId)).toBe(false)
    expect(await w.blobs.exists(again.file.fileId)).toBe(true)
    expect(p.store.file(paper.id)!.filename).toBe('b.pdf')
  })

  test('one event per upload, custody.paper.uploaded, naming the file and hash but no key material', async () => {
    const w = await papersWorld()
    const p = w.app.services.papers
    const paper = must(p.create(w.custodian.person, w.sessions.theory, { kind: 'paper_a', title: 'A' }))
    const from = w.app.services.log.size()
    const up = must(await p.upload(w.custodian.person, paper.id, { filename: '电工A卷.pdf', contentType: 'application/pdf', body: [fakePdf(5000)] }))
    const events = eventsSince(w.app, from)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({
      action: 'custody.paper.uploaded',
      actor: { user: w.custodian.id },
      subject: { type: 'paper', id: paper.id },
      data: { fileId: up.file.fileId, filename: '电工A卷.pdf', plaintextBytes: 5000, cipherSha256: up.file.cipherSha256, replaces: null },
    })
    expect(JSON.stringify(events[0])).not.toContain(Buffer.from(up.file.wrappedKey).toString('hex'))
  })

  test('an empty file and a file over the limit are refused, leave no blob and log nothing', async () => {
    const w = await papersWorld({ deps: { paperMaxBytes: 10_000 } })
    const p = w.app.services.papers
    const paper = must(p.create(w.custodian.person, w.sessions.theory, { kind: 'paper_a', title: 'A' }))
    const from = w.app.services.log.size()
    expect(codeOf(await p.upload(w.custodian.person, paper.id, { filename: 'a.pdf', contentType: 'application/pdf', body: [] }))).toBe('paper.file_empty')
    expect(
      codeOf(await p.upload(w.custodian.person, paper.id, { filename: 'a.pdf', contentType: 'application/pdf', body: [fakePdf(6000), fakePdf(6000)] })),
    ).toBe('paper.file_too_large')
    expect(
      must(await p.upload(w.custodian.person, paper.id, { filename: 'a.pdf', contentType: 'application/pdf', body: [fakePdf(10_000)] })).file.plaintextBytes,
    ).toBe(10_000)
    expect(w.app.services.log.size()).toBe(from + 1)
    expect(w.app.services.db.query('SELECT count(*) AS n FROM paper_files').get()).toEqual({ n: 1 })
  })

  test('only a custodian uploads, and not to a frozen paper', async () => {
    const w = await papersWorld()
    const p = w.app.services.papers
    const { paper } = await paperWithFile(w)
    expect(codeOf(await p.upload(w.supervisor.person, paper.id, { filename: 'x.pdf', contentType: 'application/pdf', body: [fakePdf(10)] }))).toBe(
      'paper.not_allowed_for_role',
    )
    p.store.updatePaper({ ...paper, state: 'frozen', frozenBy: ['leak-1'] })
    expect(codeOf(await p.upload(w.custodian.person, paper.id, { filename: 'x.pdf', contentType: 'application/pdf', body: [fakePdf(10)] }))).toBe(
      'paper.frozen',
    )
  })
})

describe('papers of a session', () => {
  test('a session has at most one live paper A and one paper B; other kinds may repeat', async () => {
    const w = await papersWorld()
    const p = w.app.services.papers
    const a = must(p.create(w.custodian.person, w.sessions.theory, { kind: 'paper_a', title: 'A' }))
    expect(p.create(w.custodian.person, w.sessions.theory, { kind: 'paper_a', title: 'A2' })).toMatchObject({
      ok: false,
      error: { code: 'paper.kind_taken', paperId: a.id },
    })
    must(p.create(w.custodian.person, w.sessions.theory, { kind: 'paper_b', title: 'B' }))
    must(p.create(w.custodian.person, w.sessions.theory, { kind: 'answer_key', title: 'K1' }))
    must(p.create(w.custodian.person, w.sessions.theory, { kind: 'answer_key', title: 'K2' }))
    p.store.updatePaper({ ...a, state: 'retired' }) // a leaked paper A is replaced by a new one
    must(p.create(w.custodian.person, w.sessions.theory, { kind: 'paper_a', title: 'A new' }))
  })

  test('titles are trimmed and must not be blank; the session must exist and be scheduled', async () => {
    const w = await papersWorld()
    const p = w.app.services.papers
    expect(must(p.create(w.custodian.person, w.sessions.theory, { kind: 'paper_a', title: '  A 卷  ' })).title).toBe('A 卷')
    expect(codeOf(p.create(w.custodian.person, w.sessions.theory, { kind: 'paper_b', title: '   ' }))).toBe('paper.title_invalid')
    expect(codeOf(p.create(w.custodian.person, 'nope', { kind: 'paper_b', title: 'B' }))).toBe('session.not_found')
    w.app.services.db.run("UPDATE exam_sessions SET status = 'suspended' WHERE id = ?", [w.sessions.practical])
    expect(codeOf(p.create(w.custodian.person, w.sessions.practical, { kind: 'paper_b', title: 'B' }))).toBe('session.not_scheduled')
  })
})

describe('print targets and copy numbers (R5.2)', () => {
  test("before seating, each room's capacity; after seating, each room's seated candidates, rooms with none left out", async () => {
    const w = await papersWorld({
      rooms: [
        { name: '101', kind: 'theory', capacity: 30 },
        { name: '102', kind: 'theory', capacity: 20 },
      ],
    })
    const p = w.app.services.papers
    const { paper } = await paperWithFile(w)
    expect(
      p
        .targetsFor(paper)
        .map((t) => t.seats)
        .sort(),
    ).toEqual([20, 30])
    const seated = await papersWorld({
      seated: 25,
      rooms: [
        { name: '101', kind: 'theory', capacity: 30 },
        { name: '102', kind: 'theory', capacity: 30 },
      ],
    })
    const { paper: sp } = await paperWithFile(seated)
    const targets = seated.app.services.papers.targetsFor(sp)
    expect(targets.reduce((n, t) => n + t.seats, 0)).toBe(25)
    expect(targets.every((t) => t.seats > 0)).toBe(true)
  })

  test('answer keys print as one room-less stack of the copies asked for', async () => {
    const w = await papersWorld()
    const p = w.app.services.papers
    const { paper } = await paperWithFile(w, fakePdf(100), 'answer_key')
    const job = must(p.requestPrint(w.custodian.person, paper.id, { copies: 3, sparesPerRoom: 5 }))
    expect(job.targets).toEqual([{ roomId: null, seats: 3 }])
  })

  test('spares default to the batch setting; copy numbers continue over jobs and skip nothing that was released', async () => {
    const w = await papersWorld({ seated: 50 })
    const p = w.app.services.papers
    const { paper } = await paperWithFile(w)
    const first = must(p.requestPrint(w.custodian.person, paper.id))
    expect(first.sparesPerRoom).toBe(2)
    expect(first.firstCopy).toBe(1)
    const planned = 50 + 2 * first.targets.length
    const second = must(p.requestPrint(w.custodian.person, paper.id, { sparesPerRoom: 0 }))
    expect(second.firstCopy).toBe(planned + 1) // planned numbers are claimed at once: two open jobs never share one
    must(p.cancel(w.custodian.person, second.id, 'wrong spares'))
    const third = must(p.requestPrint(w.custodian.person, paper.id, { sparesPerRoom: 0 }))
    expect(third.firstCopy).toBe(planned + 1) // never released: its numbers were never on paper
    must(await p.approve(w.custodian.person, third.id, w.custodian.passphrase)), must(await p.approve(w.custodian2.person, third.id, w.custodian2.passphrase))
    w.app.clock.now = IN_WINDOW
    await drain(must(await p.decrypt(w.custodian.person, third.id)).body)
    must(p.cancel(w.custodian.person, third.id, 'printer jam'))
    const fourth = must(p.requestPrint(w.custodian.person, paper.id))
    expect(fourth.firstCopy).toBe(planned + 50 + 1) // released, then cancelled: its numbers stay taken
  })

  test('a print request without a file is refused (paper.no_file)', async () => {
    const w = await papersWorld()
    const p = w.app.services.papers
    const paper = must(p.create(w.custodian.person, w.sessions.theory, { kind: 'paper_a', title: 'A' }))
    expect(codeOf(p.requestPrint(w.custodian.person, paper.id))).toBe('paper.no_file')
    expect(codeOf(p.requestPrint(w.supervisor.person, paper.id))).toBe('print.not_allowed_for_role')
  })
})

describe('the file is bound while a job is open (R5.2 +)', () => {
  test('replacing the file under a requested, approved or printed job is refused; after a cancel it is allowed', async () => {
    const w = await papersWorld()
    const p = w.app.services.papers
    const { paper, job } = await approvedJob(w)
    const replace = () => p.upload(w.custodian.person, paper.id, { filename: 'x.pdf', contentType: 'application/pdf', body: [fakePdf(10)] })
    expect(await replace()).toMatchObject({ ok: false, error: { code: 'paper.file_locked', jobId: job.id, state: 'approved' } })
    must(p.cancel(w.custodian.person, job.id, ''))
    expect((await replace()).ok).toBe(true)
  })
})

describe('decryption for printing (R5.2 +)', () => {
  test('inside the window, after two approvals, the plaintext comes back whole and the release is one event', async () => {
    const w = await papersWorld({ seated: 10 })
    const p = w.app.services.papers
    const { job, bytes, file } = await approvedJob(w)
    w.app.clock.now = IN_WINDOW
    const from = w.app.services.log.size()
    const d = must(await p.decrypt(w.custodian.person, job.id))
    expect(d.job.state).toBe('decrypted')
    expect(Buffer.from(await drain(d.body)).equals(Buffer.from(bytes))).toBe(true)
    const events = eventsSince(w.app, from)
    expect(events.map((e) => e.action)).toEqual(['custody.paper.decrypted'])
    expect(events[0]).toMatchObject({
      actor: { user: w.custodian.id },
      subject: { type: 'print_job', id: job.id },
      data: { fileId: file.fileId, cipherSha256: file.cipherSha256 },
    })
    expect(codeOf(await p.decrypt(w.custodian.person, job.id))).toBe('print.wrong_state') // once
  })

  test('outside the window, with one approval, or with the paper frozen, nothing is released and nothing is logged', async () => {
    const w = await papersWorld()
    const p = w.app.services.papers
    const { paper, job } = await approvedJob(w)
    const from = w.app.services.log.size()
    expect(codeOf(await p.decrypt(w.custodian.person, job.id))).toBe('print.window_closed') // T0 is weeks early
    w.app.clock.now = IN_WINDOW
    const one = must(p.requestPrint(w.custodian.person, paper.id))
    must(await p.approve(w.custodian.person, one.id, w.custodian.passphrase))
    expect(codeOf(await p.decrypt(w.custodian.person, one.id))).toBe('print.needs_second_approval')
    p.store.updatePaper({ ...paper, state: 'frozen', frozenBy: ['leak-1'] })
    expect(codeOf(await p.decrypt(w.custodian.person, job.id))).toBe('paper.frozen')
    expect(w.app.services.log.size()).toBe(from + 2) // only the second job's request and its one approval
    expect(p.job(job.id)!.state).toBe('approved')
  })

  test('a swapped or missing ciphertext is refused before release: the job stays approved and supervisors get an alert', async () => {
    const w = await papersWorld()
    const p = w.app.services.papers
    const { job, file } = await approvedJob(w)
    const { file: other } = await paperWithFile(w, fakePdf(200_000), 'paper_b')
    w.app.clock.now = IN_WINDOW
    w.blobs.replace(file.fileId, w.blobs.bytesOf(other.fileId)!)
    const from = w.app.services.log.size()
    expect(await p.decrypt(w.custodian.person, job.id)).toMatchObject({ ok: false, error: { code: 'paper.file_damaged', reason: 'checksum' } })
    expect(p.job(job.id)!.state).toBe('approved')
    const [alert] = eventsSince(w.app, from)
    expect(alert).toMatchObject({
      action: 'custody.alert.paper_file_damaged',
      subject: { type: 'paper', id: file.paperId },
      data: { reason: 'checksum', printJobId: job.id },
    })
    expect(w.app.services.db.query('SELECT kind, log_index FROM custody_alerts').all()).toEqual([{ kind: 'paper_file_damaged', log_index: alert!.index }])
    await w.blobs.remove(file.fileId)
    expect(await p.decrypt(w.custodian.person, job.id)).toMatchObject({ ok: false, error: { code: 'paper.file_damaged', reason: 'missing' } })
  })

  test("a ciphertext altered after the check fails mid-stream with the container's code, and that is an alert too", async () => {
    const w = await papersWorld()
    const p = w.app.services.papers
    const { job, file } = await approvedJob(w)
    w.app.clock.now = IN_WINDOW
    const d = must(await p.decrypt(w.custodian.person, job.id))
    const bad = w.blobs.bytesOf(file.fileId)!
    bad[bad.length - 100]! ^= 1
    w.blobs.replace(file.fileId, bad)
    const from = w.app.services.log.size()
    await expect(drain(d.body)).rejects.toMatchObject({ code: 'paper.tampered' })
    expect(eventsSince(w.app, from)).toMatchObject([{ action: 'custody.alert.paper_file_damaged', data: { reason: 'stream', code: 'paper.tampered' } }])
  })

  test('a file wrapped under a master key this server does not hold is refused as paper.key_unavailable', async () => {
    const w = await papersWorld({ legacy: true })
    const p = w.app.services.papers
    const { job, file } = await approvedJob(w)
    const stranger = generateMasterKey('mk-elsewhere')
    const dataKey = unwrapKey(file.wrappedKey, p.keys.all(), { context: file.fileId })
    const { wrapKey } = await import('../crypto/index.ts')
    p.store.rewrap(file.paperId, wrapKey(dataKey, stranger, { context: file.fileId }), stranger.id)
    w.app.clock.now = IN_WINDOW
    expect(await p.decrypt(w.custodian.person, job.id)).toMatchObject({ ok: false, error: { code: 'paper.key_unavailable', masterKeyId: 'mk-elsewhere' } })
  })
})

describe('recording the print output', () => {
  test('packets are one per room with consecutive copies, printed and held by the decrypting custodian; the count must match', async () => {
    const w = await papersWorld({ seated: 45 })
    const p = w.app.services.papers
    const { job } = await approvedJob(w, { perCopy: { answerSheets: 1, scratchPaper: 2 } })
    w.app.clock.now = IN_WINDOW
    await drain(must(await p.decrypt(w.custodian.person, job.id)).body)
    const planned = 45 + 2 * job.targets.length
    expect(codeOf(p.printed(w.custodian2.person, job.id, planned))).toBe('print.not_decrypter')
    expect(p.printed(w.custodian.person, job.id, planned - 1)).toMatchObject({
      ok: false,
      error: { code: 'print.copies_mismatch', expected: planned, got: planned - 1 },
    })
    const from = w.app.services.log.size()
    const { job: done, packets } = must(p.printed(w.custodian.person, job.id, planned))
    expect(done).toMatchObject({ state: 'printed', copies: planned, printedBy: w.custodian.id })
    expect(packets.map((x) => x.copies.first)).toEqual([1, ...packets.slice(0, -1).map((x) => x.copies.last + 1)])
    expect(packets.at(-1)!.copies.last).toBe(planned)
    for (const x of packets) {
      expect(x).toMatchObject({ state: 'printed', holder: { userId: w.custodian.id }, sealNumber: null })
      expect(x.contents.answerSheets).toBe(x.contents.copies)
      expect(x.contents.scratchPaper).toBe(2 * x.contents.copies)
    }
    expect(eventsSince(w.app, from).map((e) => e.action)).toEqual(['custody.print.printed', ...packets.map(() => 'custody.packet.printed')])
    const rows = w.app.services.db.query<{ holder: string; state: string }, []>('SELECT holder, state FROM packets').all()
    expect(rows).toEqual(packets.map(() => ({ holder: `user:${w.custodian.id}`, state: 'printed' })))
  })
})

describe('master key rotation (003)', () => {
  test('every data key is re-wrapped under the new key, no ciphertext changes, the old key is retired and files still decrypt', async () => {
    const saved: string[] = [],
      removed: string[] = []
    const keeper: MasterKeyKeeper = { save: (k) => saved.push(k.id), remove: (id) => removed.push(id) }
    const first = generateMasterKey('mk-first')
    const w = await papersWorld({ deps: { masterKeys: [first], masterKeyKeeper: keeper }, legacy: true })
    const p = w.app.services.papers
    const { job, file, bytes } = await approvedJob(w)
    await paperWithFile(w, fakePdf(10), 'paper_b')
    const before = w.blobs.bytesOf(file.fileId)!
    const from = w.app.services.log.size()
    const r = must(p.rotateMasterKey(w.admin.person))
    expect(r).toMatchObject({ previous: ['mk-first'], rewrapped: 2, failed: [], retired: ['mk-first'] })
    expect(saved).toEqual([r.keyId])
    expect(removed).toEqual(['mk-first'])
    expect(p.keys.ids()).toEqual([r.keyId])
    expect(p.masterKeys()).toEqual([{ id: r.keyId, current: true, files: 2 }])
    expect(masterKeyIdOf(p.store.file(file.paperId)!.wrappedKey)).toBe(r.keyId)
    expect(Buffer.from(w.blobs.bytesOf(file.fileId)!).equals(Buffer.from(before))).toBe(true)
    expect(eventsSince(w.app, from)).toMatchObject([
      { action: 'custody.paper.master_key_rotated', subject: { type: 'master_key', id: r.keyId }, data: { from: ['mk-first'], to: r.keyId, rewrapped: 2 } },
    ])
    w.app.clock.now = IN_WINDOW
    expect(Buffer.from(await drain(must(await p.decrypt(w.custodian.person, job.id)).body)).equals(Buffer.from(bytes))).toBe(true)
  })

  test('a wrapped key that does not unwrap is named and keeps its master key; the rest rotate', async () => {
    const w = await papersWorld({ legacy: true })
    const p = w.app.services.papers
    const { file } = await paperWithFile(w)
    const { file: other } = await paperWithFile(w, fakePdf(10), 'paper_b')
    const old = p.keys.current!.id
    const broken = p.store.file(other.paperId)!.wrappedKey.slice()
    broken[broken.length - 1]! ^= 1
    p.store.rewrap(other.paperId, broken, old)
    const r = must(p.rotateMasterKey(w.admin.person))
    expect(r.failed).toEqual([{ paperId: other.paperId, code: 'key.unwrap_failed' }])
    expect(r.rewrapped).toBe(1)
    expect(r.retired).toEqual([])
    expect(p.keys.ids()).toEqual([old, r.keyId])
    expect(masterKeyIdOf(p.store.file(file.paperId)!.wrappedKey)).toBe(r.keyId)
  })
})

describe('custody settings', () => {
  test('settings are checked, saved with one event, and move the window', async () => {
    const w = await papersWorld()
    const p = w.app.services.papers
    const wide = { opensMinutesBefore: 7 * 1440, closesMinutesBefore: 30, openMinutesBefore: 20, sparesPerRoom: 1 }
    expect(codeOf(p.setSettings(w.custodian.person, w.batchId, { ...wide, opensMinutesBefore: 30 }))).toBe('settings.invalid')
    expect(codeOf(p.setSettings(w.custodian.person, w.batchId, { ...wide, sparesPerRoom: -1 }))).toBe('settings.invalid')
    expect(codeOf(p.setSettings(w.custodian.person, 'nope', wide))).toBe('batch.not_found')
    expect(codeOf(p.setSettings(w.supervisor.person, w.batchId, wide))).toBe('paper.not_allowed_for_role')
    const from = w.app.services.log.size()
    expect(must(p.setSettings(w.custodian.person, w.batchId, wide))).toEqual(wide)
    expect(eventsSince(w.app, from)).toMatchObject([{ action: 'custody.settings.updated', subject: { type: 'batch', id: w.batchId }, data: { after: wide } }])
    const session = w.app.services.rooms.session(w.sessions.theory)!
    expect(p.windowOf(session)).toEqual({ opensAt: session.startsAt - 7 * 86_400_000, closesAt: session.startsAt - 30 * 60_000 })
  })
  test("the administrator cannot set custody settings: the window is the custodians' (paper.not_allowed_for_role)", async () => {
    const w = await papersWorld()
    const p = w.app.services.papers
    const from = w.app.services.log.size()
    expect(
      codeOf(p.setSettings(w.admin.person, w.batchId, { opensMinutesBefore: 7 * 1440, closesMinutesBefore: 30, openMinutesBefore: 20, sparesPerRoom: 1 })),
    ).toBe('paper.not_allowed_for_role')
    expect(w.app.services.log.size()).toBe(from)
    expect(p.store.hasSettings(w.batchId)).toBe(false)
  })

  test('approvals are bound to the window: one custodian moving it after both approvals lapses them, and decryption needs two new ones', async () => {
    const w = await papersWorld()
    const p = w.app.services.papers
    const { job } = await approvedJob(w)
    expect(p.job(job.id)).toMatchObject({ state: 'approved', approvals: [w.custodian.id, w.custodian2.id] })
    // One custodian moves the window so that it is open right now (T0 is weeks before the session).
    const now = w.app.clock.now
    const session = w.app.services.rooms.session(w.sessions.theory)!
    const opens = Math.ceil((session.startsAt - now) / 60_000) + 60
    const from = w.app.services.log.size()
    must(p.setSettings(w.custodian.person, w.batchId, { opensMinutesBefore: opens, closesMinutesBefore: 60, openMinutesBefore: 15, sparesPerRoom: 2 }))
    const events = eventsSince(w.app, from)
    expect(events.map((e) => e.action)).toEqual(['custody.settings.updated', 'custody.print.approvals_lapsed'])
    expect(events[1]).toMatchObject({
      actor: { user: w.custodian.id },
      subject: { type: 'print_job', id: job.id },
      data: { from: 'approved', lapsed: [w.custodian.id, w.custodian2.id] },
    })
    expect(p.job(job.id)).toMatchObject({ state: 'requested', approvals: [], approvalWindow: null })
    // Inside the new window the old approvals do nothing: nothing is released.
    expect(codeOf(await p.decrypt(w.custodian.person, job.id))).toBe('print.needs_second_approval')
    must(await p.approve(w.custodian.person, job.id, w.custodian.passphrase))
    expect(codeOf(await p.decrypt(w.custodian.person, job.id))).toBe('print.needs_second_approval')
    must(await p.approve(w.custodian2.person, job.id, w.custodian2.passphrase))
    expect(must(await p.decrypt(w.custodian.person, job.id)).job.state).toBe('decrypted')
  })

  test('a window that did not move lapses nothing (spares or opening minutes changed)', async () => {
    const w = await papersWorld()
    const p = w.app.services.papers
    const { job } = await approvedJob(w)
    const from = w.app.services.log.size()
    must(p.setSettings(w.custodian.person, w.batchId, { opensMinutesBefore: 1440, closesMinutesBefore: 60, openMinutesBefore: 30, sparesPerRoom: 4 }))
    expect(eventsSince(w.app, from).map((e) => e.action)).toEqual(['custody.settings.updated'])
    expect(p.job(job.id)!.state).toBe('approved')
  })
})
