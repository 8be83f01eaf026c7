import { describe, expect, test } from 'vitest'
import { DEMO_PASSWORD, DEMO_SHARE_PASSPHRASES, DEMO_USERS, loadDemo } from '../server/demo.ts'
import { combineShares, decryptStream, hpkeKeyPairFromSeed, openShare, passphraseKeyPair, unwrapKeyWithPrivate } from '../crypto/index.ts'
import { makeDemoPdf } from '../server/demo/_pdf.ts'
import { MemoryPaperBlobStore } from '../server/paper-blobs.ts'
import { loadLifecycleDemo } from '../server/demo/lifecycle.ts'
import { DEMO_CUSTODY_SETTINGS, loadPapersDemo } from '../server/demo/papers.ts'
import { loadRoomsDemo } from '../server/demo/rooms.ts'
import { makeTestApp } from './_app.ts'

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1')

describe('the demo PDF generator', () => {
  test('a valid PDF 1.4: header, every xref offset at its object, startxref at the table, %%EOF', () => {
    const pdf = latin1(makeDemoPdf('Paper A (DEMO)', ['1. Question (with parentheses) and a \\ backslash', '2. 电 is not ASCII']))
    expect(pdf.startsWith('%PDF-1.4\n')).toBe(true)
    expect(pdf.endsWith('%%EOF\n')).toBe(true)
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(pdf)![1])
    expect(pdf.slice(startxref, startxref + 5)).toBe('xref\n')
    const table = pdf.slice(startxref).split('\n')
    const count = Number(table[1]!.split(' ')[1])
    expect(count).toBe(7) // free entry, catalog, pages, two fonts, one page and its content
    for (let id = 1; id < count; id++) {
      const entry = table[2 + id]!
      expect(entry).toMatch(/^\d{10} 00000 n $/) // 20 bytes with the newline (§7.5.4)
      const at = Number(entry.slice(0, 10))
      expect(pdf.slice(at, at + `${id} 0 obj`.length)).toBe(`${id} 0 obj`)
    }
    expect(pdf).toContain('(1. Question \\(with parentheses\\) and a \\\\ backslash)')
    expect(pdf).toContain('(2. ? is not ASCII)')
    const length = Number(/\/Length (\d+) >>\nstream\n/.exec(pdf)![1])
    const body = pdf.slice(pdf.indexOf('stream\n') + 7, pdf.indexOf('\nendstream'))
    expect(body.length).toBe(length)
  })

  test('long texts continue on further pages, each with the title', () => {
    const pdf = latin1(
      makeDemoPdf(
        'T',
        Array.from({ length: 100 }, (_, i) => `line ${i}`),
      ),
    )
    const pages = Number(/\/Count (\d+)/.exec(pdf)![1])
    expect(pages).toBe(3)
    expect(pdf.match(/\(T\) Tj/g)).toHaveLength(3)
    expect(pdf).toContain('(line 99)')
  })
})

/** The demo's accounts without the rest of the demo (loadDemo loads everything, papers included). */
async function demoUsers(app: ReturnType<typeof makeTestApp>): Promise<void> {
  for (const u of DEMO_USERS) {
    const r = await app.services.accounts.create({ system: 'test' }, { ...u, password: DEMO_PASSWORD }, { demo: true })
    if (!r.ok) throw new Error(r.error.code)
  }
}

describe('the papers demo', () => {
  test('on the rooms demo: papers A and B and the practical tasks, encrypted; paper A printed into one packet per theory room', async () => {
    const app = makeTestApp({ clock: () => Date.parse('2026-12-10T02:00:00Z') }) // 10:00 CST, the exam is tomorrow
    await demoUsers(app)
    const lifecycle = await loadLifecycleDemo(app.services)
    await loadRoomsDemo(app.services, lifecycle)
    const demo = await loadPapersDemo(app.services, { ...lifecycle, password: DEMO_PASSWORD, passphrases: DEMO_SHARE_PASSPHRASES })
    const p = app.services.papers
    expect(p.settings(lifecycle.batchId)).toEqual(DEMO_CUSTODY_SETTINGS)
    expect(p.paper(demo.paperIds.a)!.kind).toBe('paper_a')
    expect(p.paper(demo.paperIds.b)!.kind).toBe('paper_b')
    expect(p.paper(demo.paperIds.practical)!.examSessionId).toBe(lifecycle.sessionIds.practical)
    for (const id of Object.values(demo.paperIds)) expect(p.store.file(id)!.plaintextBytes).toBeGreaterThan(500)

    const job = p.job(demo.printJobId)!
    const users = app.services.accounts.list()
    const name = (id: string | null) => users.find((u) => u.id === id)?.username
    expect(job.state).toBe('printed')
    expect(job.approvals.map(name)).toEqual(['custodian', 'custodian2'])
    expect(name(job.decryptedBy)).toBe('custodian')

    const packets = demo.packetIds.map((id) => p.packet(id)!)
    const rooms = app.services.rooms.attachedRooms(lifecycle.sessionIds.theory)
    expect(packets.map((x) => x.roomId).sort()).toEqual(rooms.map((r) => r.id).sort())
    expect(packets.map((x) => [x.copies.first, x.copies.last])).toEqual([
      [1, 32],
      [33, 64],
      [65, 96],
    ]) // 30 seated + 2 spares each
    expect(packets[0]!.contents).toEqual({ copies: 32, answerSheets: 32, scratchPaper: 64 })
    expect(packets.every((x) => x.printedBy === job.decryptedBy)).toBe(true)

    // Packets in different custody states, so a newcomer sees a timeline at once: room 101's packet issued
    // to its invigilator (who confirmed), the next in the vault, the last one waiting for its seal.
    const after = demo.packetIds.map((id) => app.services.custody.packet(id)!)
    const invigilator = users.find((u) => u.username === 'invigilator')!.id
    expect(after.map((x) => x.state)).toEqual(['issued', 'in_vault', 'printed'])
    expect(after[0]).toMatchObject({ sealNumber: 'DEMO-0001', holder: { userId: invigilator } })
    expect(after[1]).toMatchObject({ sealNumber: 'DEMO-0002', holder: { place: 'vault' } })
    const log = app.services.log
    const actions = Array.from({ length: log.size() }, (_, i) => log.entry(i)!.event)
      .filter((e) => e.subject?.id === after[0]!.id)
      .map((e) => e.action)
    expect(actions).toEqual(['custody.packet.printed', 'custody.packet.sealed', 'custody.packet.stored', 'custody.handover.offered', 'custody.packet.issued'])
  })

  test('the full demo (loadDemo) includes the papers, and their files decrypt to the generated PDFs', async () => {
    const blobs = new MemoryPaperBlobStore()
    const app = makeTestApp({ clock: () => Date.parse('2026-12-10T02:00:00Z'), paperBlobs: blobs })
    await loadDemo(app.services)
    const drill = app.services.doorDrill.sessionId() // the door drill's session today has no papers
    const theory = app.services.rooms.sessions().find((x) => x.subjectKind === 'theory' && x.id !== drill && x.level === 4)!
    const papers = app.services.papers.store.papersOfSession(theory.id)
    expect(papers.map((x) => x.kind).sort()).toEqual(['paper_a', 'paper_b'])
    const file = app.services.papers.store.file(papers.find((x) => x.kind === 'paper_b')!.id)!
    // The demo's paper key is dealt 2 of 3 (008): two demo custodians' printed passphrases open it, nothing else.
    const keys = app.services.keyCeremonies
    const paperKey = keys.store.currentKey()!
    expect(app.services.papers.keys.ids()).toEqual([])
    const users = app.services.accounts.list()
    const shares = keys.store.shares(paperKey.id)
    expect(shares.map((x) => users.find((u) => u.id === x.userId)!.username).sort()).toEqual(['custodian', 'custodian2', 'custodian3'])
    expect(paperKey.threshold).toBe(2)
    const opened: Uint8Array[] = []
    for (const share of shares.filter((x) => x.userId !== users.find((u) => u.username === 'custodian')!.id)) {
      const username = users.find((u) => u.id === share.userId)!.username
      const kp = await passphraseKeyPair(DEMO_SHARE_PASSPHRASES[username]!, share.salt, share.kdf)
      opened.push((await openShare(share.sealedShare, kp.privateKey, `${paperKey.id}/${share.userId}`))!)
    }
    const paperPair = await hpkeKeyPairFromSeed(await combineShares(opened))
    const key = await unwrapKeyWithPrivate(file.wrappedKey, { id: paperKey.id, privateKey: paperPair.privateKey }, { context: file.fileId })
    const parts: Uint8Array[] = []
    for await (const c of decryptStream(blobs.read(file.fileId), key)) parts.push(c)
    const pdf = latin1(Buffer.concat(parts))
    expect(pdf.startsWith('%PDF-1.4\n')).toBe(true)
    expect(pdf).toContain('Paper B')
    expect(file.plaintextBytes).toBe(pdf.length)
  })

  test('when the window is shut (the session starts within the hour), the job stays approved and nothing is printed', async () => {
    const app = makeTestApp({ clock: () => Date.parse('2026-12-10T02:00:00Z') })
    await demoUsers(app)
    const lifecycle = await loadLifecycleDemo(app.services)
    await loadRoomsDemo(app.services, lifecycle)
    app.services.db.run('UPDATE exam_sessions SET starts_at = ? WHERE id = ?', [Date.parse('2026-12-10T02:30:00Z'), lifecycle.sessionIds.theory])
    const demo = await loadPapersDemo(app.services, { ...lifecycle, password: DEMO_PASSWORD, passphrases: DEMO_SHARE_PASSPHRASES })
    expect(demo.packetIds).toEqual([])
    expect(app.services.papers.job(demo.printJobId)!.state).toBe('approved')
  })
})
