// server/services/key-ceremony.ts and the print flow under the split paper key (R5.1, R5.2;
// docs/decisions/008-split-master-key.md): no one person, not the administrator, not the server alone, reads a paper.
import { Database } from 'bun:sqlite'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import {
  combineShares,
  generateMasterKey,
  hpkeKeyPairFromSeed,
  masterKeyIdOf,
  openShare,
  passphraseKeyPair,
  unwrapKey,
  wrappedKeyVersion,
} from '../crypto/index.ts'
import { createApp } from '../server/app.ts'
import { TEST_SCRYPT } from '../server/auth/_password.ts'
import { loadMasterKeys, masterKeyFiles, saveMasterKey } from '../server/keystore.ts'
import type { Paper } from '../server/domain/custody/index.ts'
import { TEST_PASSWORD, testLogKey } from './_app.ts'
import { IN_WINDOW, PASSPHRASES, type PapersWorld, approveAs, contains, dealKey, fakePdf, moveTo, papersWorld } from './_papers-fixture.ts'
import { eventsSince } from './_rooms-fixture.ts'

const must = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.error)}`)
  return r.value
}
const codeOf = (r: { ok: boolean; error?: unknown }) => (r.ok ? 'ok' : (r.error as { code: string }).code)
type ErrorBody = { error: { code: string; details?: Record<string, unknown> } }

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

async function paperWithFile(w: PapersWorld, bytes = fakePdf(90_000), kind: Paper['kind'] = 'paper_a') {
  const p = w.app.services.papers
  const paper = must(p.create(w.custodian.person, w.sessions.theory, { kind, title: `Theory ${kind}` }))
  const up = must(await p.upload(w.custodian.person, paper.id, { filename: 'a.pdf', contentType: 'application/pdf', body: [bytes] }))
  return { paper, file: up.file, bytes }
}

async function drain(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  for await (const c of body) parts.push(c.slice())
  return new Uint8Array(Buffer.concat(parts))
}

/** The same database, blobs and (absent) key files, opened by a second server: a copy, or a restart. */
function reopen(w: PapersWorld, opts: { masterKeys?: [] } = {}) {
  const copy = Database.deserialize(w.app.services.db.serialize())
  const clock = { now: w.app.clock.now }
  return {
    app: createApp({
      db: copy,
      logKey: testLogKey(),
      ticketKey: testLogKey(2, 'custody.test/tickets'),
      clock: () => clock.now,
      scrypt: TEST_SCRYPT,
      paperBlobs: w.blobs,
      masterKeys: opts.masterKeys ?? [],
    }),
    clock,
  }
}

describe('uploads need only the public key (008)', () => {
  test('after the ceremony a data key is sealed to the paper public key (version 2), never under a plain master key', async () => {
    const w = await papersWorld()
    const { file } = await paperWithFile(w)
    const key = w.app.services.keyCeremonies.publicKey()!
    expect(wrappedKeyVersion(file.wrappedKey)).toBe(2)
    expect([masterKeyIdOf(file.wrappedKey), file.masterKeyId]).toEqual([key.id, key.id])
    expect(w.app.services.papers.keys.ids()).toEqual([]) // the test app's plain key was converted and deleted
  })

  test('a new data folder makes no plain master key: uploads are refused until the first key ceremony (paper.no_paper_key)', async () => {
    const w = await papersWorld({ legacy: true, deps: { masterKeys: [] } })
    const p = w.app.services.papers
    const paper = must(p.create(w.custodian.person, w.sessions.theory, { kind: 'paper_a', title: 'A' }))
    expect(codeOf(await p.upload(w.custodian.person, paper.id, { filename: 'a.pdf', contentType: 'application/pdf', body: [fakePdf(100)] }))).toBe(
      'paper.no_paper_key',
    )
    expect(p.store.file(paper.id)).toBeNull()
    expect(codeOf(p.rotateMasterKey(w.admin.person))).toBe('master_key.not_plain') // nor can an administrator make one
    await dealKey(w)
    must(await p.upload(w.custodian.person, paper.id, { filename: 'a.pdf', contentType: 'application/pdf', body: [fakePdf(100)] }))
  })
})

describe('the server alone cannot read a paper (008)', () => {
  test('a copy of the data folder (database, blobs, key files) is not enough to decrypt any paper', async () => {
    const w = await papersWorld()
    const { paper, file } = await paperWithFile(w)
    const dbBytes = w.app.services.db.serialize()
    const copy = reopen(w)
    const c = copy.app.services
    // No plain key exists anywhere to try; the wrapped key does not open under any master key the copy holds.
    expect(c.papers.keys.ids()).toEqual([])
    expect(() => unwrapKey(file.wrappedKey, [generateMasterKey(file.masterKeyId)], { context: file.fileId })).toThrow(/shares/)
    // Without the passphrases the stored shares do not open: not with the login password, not with a guess.
    const key = c.keyCeremonies.store.currentKey()!
    for (const share of c.keyCeremonies.store.shares(key.id)) {
      for (const guess of [TEST_PASSWORD, 'custody-demo', 'keeper1']) {
        const kp = await passphraseKeyPair(guess, share.salt, share.kdf)
        expect(await openShare(share.sealedShare, kp.privateKey, `${key.id}/${share.userId}`)).toBeNull()
      }
    }
    // The secret the shares rebuild, and the shares themselves, are nowhere in the stored bytes.
    const holders = [w.custodian, w.custodian2, w.custodian3]
    const opened: Uint8Array[] = []
    for (const share of c.keyCeremonies.store.shares(key.id)) {
      const h = holders.find((x) => x.id === share.userId)!
      const kp = await passphraseKeyPair(h.passphrase, share.salt, share.kdf)
      opened.push((await openShare(share.sealedShare, kp.privateKey, `${key.id}/${share.userId}`))!)
    }
    const seed = await combineShares(opened.slice(0, 2))
    const paperKey = await hpkeKeyPairFromSeed(seed)
    expect(Buffer.from(paperKey.publicKey).equals(Buffer.from(key.publicKey))).toBe(true)
    for (const secret of [seed, paperKey.privateKey, ...opened]) expect(contains(dbBytes, secret)).toBe(false)
    // And the copy's own print flow needs the holders: two approvals by custodians who hold no share are refused.
    const a = await c.accounts.create({ system: 'test' }, { username: 'mallory1', displayName: 'm1', roles: ['custodian'], password: TEST_PASSWORD })
    const job = must(c.papers.requestPrint({ user: must(a).id, name: 'mallory1', roles: ['custodian'] }, paper.id))
    expect(codeOf(await c.papers.approve({ user: must(a).id, name: 'mallory1', roles: ['custodian'] }, job.id, 'any passphrase at all'))).toBe(
      'key_share.not_holder',
    )
  })

  test('k−1 shares are not enough: one unlocked share leaves the job undecryptable (key_share.too_few)', async () => {
    const w = await papersWorld()
    const p = w.app.services.papers
    const { paper } = await paperWithFile(w)
    // a 3-of-3 re-deal, so two approvals are one share short
    must(w.app.services.keyCeremonies.start(w.admin.person, { holders: [w.custodian.id, w.custodian2.id, w.custodian3.id], threshold: 3 }))
    for (const h of [w.custodian, w.custodian2, w.custodian3]) must(await w.app.services.keyCeremonies.register(h.person, `${h.passphrase} v2`))
    for (const h of [w.custodian, w.custodian2]) must(await w.app.services.keyCeremonies.contribute(h.person, h.passphrase))
    expect(w.app.services.keyCeremonies.store.currentKey()!.threshold).toBe(3)
    for (const h of [w.custodian, w.custodian2, w.custodian3]) h.passphrase = `${h.passphrase} v2`
    const job = must(p.requestPrint(w.custodian.person, paper.id))
    must(await p.approve(w.custodian.person, job.id, w.custodian.passphrase))
    must(await p.approve(w.custodian2.person, job.id, w.custodian2.passphrase))
    w.app.clock.now = IN_WINDOW
    const from = w.app.services.log.size()
    expect(await p.decrypt(w.custodian.person, job.id)).toMatchObject({ ok: false, error: { code: 'key_share.too_few', have: 2, need: 3 } })
    expect(eventsSince(w.app, from)).toEqual([]) // nothing released
    // the third holder adds their share (logged); now it opens, and the release names the share holders
    must(await p.holdShare(w.custodian3.person, job.id, w.custodian3.passphrase))
    const d = must(await p.decrypt(w.custodian.person, job.id))
    await drain(d.body)
    const released = eventsSince(w.app, from).find((e) => e.action === 'custody.paper.decrypted')!
    expect((released.data as { shareHolders: string[] }).shareHolders.sort()).toEqual([w.custodian.id, w.custodian2.id, w.custodian3.id].sort())
  })

  test('a restart forgets unlocked shares: the approvers unlock again before the decryption', async () => {
    const w = await papersWorld()
    const { paper, bytes } = await paperWithFile(w)
    const job = must(w.app.services.papers.requestPrint(w.custodian.person, paper.id))
    must(await w.app.services.papers.approve(w.custodian.person, job.id, w.custodian.passphrase))
    must(await w.app.services.papers.approve(w.custodian2.person, job.id, w.custodian2.passphrase))
    const restarted = reopen(w)
    restarted.clock.now = IN_WINDOW
    const p = restarted.app.services.papers
    expect(await p.decrypt(w.custodian.person, job.id)).toMatchObject({ ok: false, error: { code: 'key_share.too_few', have: 0, need: 2 } })
    expect(await p.decrypt(w.custodian.person, job.id, w.custodian.passphrase)).toMatchObject({
      ok: false,
      error: { code: 'key_share.too_few', have: 1, need: 2 },
    })
    must(await p.holdShare(w.custodian2.person, job.id, w.custodian2.passphrase))
    expect(Buffer.from(await drain(must(await p.decrypt(w.custodian.person, job.id)).body)).equals(Buffer.from(bytes))).toBe(true)
  })

  test("a disabled custodian's share is refused, at approval and when it was unlocked before", async () => {
    const w = await papersWorld()
    const p = w.app.services.papers
    const { paper } = await paperWithFile(w)
    const job = must(p.requestPrint(w.custodian.person, paper.id))
    must(await p.approve(w.custodian.person, job.id, w.custodian.passphrase))
    must(await p.approve(w.custodian2.person, job.id, w.custodian2.passphrase))
    must(w.app.services.accounts.update(w.admin.person, w.custodian2.id, { disabled: true }))
    w.app.clock.now = IN_WINDOW
    expect(await p.decrypt(w.custodian.person, job.id)).toMatchObject({ ok: false, error: { code: 'key_share.too_few', have: 1, need: 2 } })
    const other = must(p.requestPrint(w.custodian.person, (await paperWithFile(w, fakePdf(10), 'paper_b')).paper.id))
    expect(await p.approve(w.custodian2.person, other.id, w.custodian2.passphrase)).toMatchObject({ ok: false, error: { code: 'key_share.holder_disabled' } })
    // the third holder stands in: 2 of 3 without the disabled one
    must(await p.holdShare(w.custodian3.person, job.id, w.custodian3.passphrase))
    await drain(must(await p.decrypt(w.custodian.person, job.id)).body)
  })

  test('guessing a share passphrase online stops after five wrong tries in 15 minutes (key_share.locked), even with the right one', async () => {
    const w = await papersWorld()
    const p = w.app.services.papers
    const { paper } = await paperWithFile(w)
    const job = must(p.requestPrint(w.custodian.person, paper.id))
    for (let i = 0; i < 5; i++) expect(codeOf(await p.approve(w.custodian.person, job.id, `guess number ${i} here`))).toBe('key_share.wrong_passphrase')
    expect(await p.approve(w.custodian.person, job.id, w.custodian.passphrase)).toMatchObject({
      ok: false,
      error: { code: 'key_share.locked', retryAfterSeconds: 900 },
    })
    must(await p.approve(w.custodian2.person, job.id, w.custodian2.passphrase)) // another holder is not affected
    w.app.clock.now += 15 * 60_000
    must(await p.holdShare(w.custodian.person, job.id, w.custodian.passphrase))
  })

  test('parallel passphrase guesses are counted before hashing: no more than five are tried in 15 minutes (key_share.locked)', async () => {
    const w = await papersWorld()
    const k = w.app.services.keyCeremonies
    must(k.start(w.admin.person, { holders: [w.custodian.id, w.custodian2.id, w.custodian3.id], threshold: 2 }))
    const tries = await Promise.all(Array.from({ length: 12 }, (_, i) => k.contribute(w.custodian3.person, `parallel guess ${i} here`)))
    const codes = tries.map(codeOf)
    expect(codes.filter((c) => c === 'key_share.wrong_passphrase').length).toBeLessThanOrEqual(5)
    expect(codes.filter((c) => c === 'key_share.locked').length).toBeGreaterThanOrEqual(7)
    expect(codeOf(await k.contribute(w.custodian3.person, w.custodian3.passphrase))).toBe('key_share.locked')
  })

  test('passphrase checks run under the login hash gate: past its queue they are refused as busy, and nothing is unlocked', async () => {
    const w = await papersWorld({ deps: { passwords: { hashGate: { concurrency: 1, queue: 0 } } } })
    const p = w.app.services.papers
    const { paper } = await paperWithFile(w)
    const job = must(p.requestPrint(w.custodian.person, paper.id))
    const [first, second] = await Promise.all([
      p.approve(w.custodian.person, job.id, w.custodian.passphrase),
      p.approve(w.custodian2.person, job.id, w.custodian2.passphrase),
    ])
    expect(codeOf(first)).toBe('ok')
    expect(codeOf(second)).toBe('key_share.busy')
    expect(w.app.services.keyCeremonies.heldFor(job.id)).toEqual([w.custodian.id])
  })

  test('an administrator who resets every password and creates accounts still cannot decrypt', async () => {
    const w = await papersWorld()
    const { paper } = await paperWithFile(w)
    const chosen = 'admin knows this one 9!'
    // every custodian's password reset by the administrator, who then logs in as them and picks a new one
    for (const h of [w.custodian, w.custodian2, w.custodian3]) {
      must(await w.app.services.accounts.setPassword(w.admin.person, h.id, chosen))
      let cookie = await w.app.login(h.username, chosen)
      const own = await w.app.call('PUT', '/api/session/password', { cookie, body: { currentPassword: chosen, newPassword: `${chosen} and mine` } })
      expect(own.status).toBe(200)
      // the reset suspended their custodian role (005); say a supervisor was fooled into restoring it
      const restore = w.app.services.accounts.pendingRoleChanges().find((c) => c.userId === h.id)!
      expect(
        (await w.app.call('POST', `/api/role-changes/${restore.id}/confirm`, { cookie: w.supervisor.cookie, body: { holderPassword: `${chosen} and mine` } }))
          .status,
      ).toBe(200)
      cookie = await w.app.login(h.username, `${chosen} and mine`)
      h.cookie = cookie
    }
    const job = (await (await w.app.call('POST', `/api/papers/${paper.id}/print-jobs`, { cookie: w.custodian.cookie })).json()) as { id: string }
    for (const guess of [undefined, chosen, `${chosen} and mine`, 'custody-demo passphrase']) {
      const res = await w.app.call('POST', `/api/print-jobs/${job.id}/approve`, {
        cookie: w.custodian.cookie,
        body: guess === undefined ? {} : { passphrase: guess },
      })
      expect(res.status).toBeGreaterThanOrEqual(400)
      expect(['key_share.passphrase_required', 'key_share.wrong_passphrase']).toContain(((await res.json()) as ErrorBody).error.code)
    }
    // two fresh custodian accounts: they hold no share
    const fresh = [await w.app.userWith(['custodian'], 'fresh1'), await w.app.userWith(['custodian'], 'fresh2')]
    for (const f of fresh) {
      const res = await w.app.call('POST', `/api/print-jobs/${job.id}/approve`, { cookie: f.cookie, body: { passphrase: 'a passphrase of my own' } })
      expect([res.status, ((await res.json()) as ErrorBody).error.code]).toEqual([403, 'key_share.not_holder'])
    }
    // a re-deal to the fresh accounts needs k current holders to unlock: it cannot complete without them
    const start = await w.app.call('POST', '/api/keys/ceremonies', { cookie: w.admin.cookie, body: { holders: fresh.map((f) => f.id), threshold: 2 } })
    expect(start.status).toBe(201)
    for (const f of fresh)
      expect(
        (await w.app.call('POST', '/api/keys/ceremonies/current/register', { cookie: f.cookie, body: { passphrase: 'a passphrase of my own' } })).status,
      ).toBe(200)
    const unlock = await w.app.call('POST', '/api/keys/ceremonies/current/unlock', { cookie: fresh[0]!.cookie, body: { passphrase: 'a passphrase of my own' } })
    expect([unlock.status, ((await unlock.json()) as ErrorBody).error.code]).toEqual([403, 'key_share.not_holder'])
    const state = w.app.services.keyCeremonies.state()
    expect(state.ceremony!.ceremony.state).toBe('open')
    expect(state.key!.holders.sort()).toEqual([w.custodian.id, w.custodian2.id, w.custodian3.id].sort())
    expect((await w.app.call('GET', `/api/print-jobs/${job.id}`, { cookie: w.admin.cookie })).status).toBe(200)
    expect(w.app.services.papers.job(job.id)!.approvals).toEqual([])
  })
})

describe('key ceremonies (008)', () => {
  test('the first ceremony converts a data folder with a plain master key: data keys re-wrapped, the key file deleted, logged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'custody-keys-'))
    dirs.push(dir)
    const plain = generateMasterKey('mk-existing')
    saveMasterKey(dir, plain, Date.now())
    const w = await papersWorld({ legacy: true, deps: { masterKeys: loadMasterKeys(dir).keys, masterKeyKeeper: masterKeyFiles(dir, Date.now) } })
    const p = w.app.services.papers
    const { paper, file, bytes } = await paperWithFile(w)
    expect(masterKeyIdOf(file.wrappedKey)).toBe('mk-existing')
    const cipher = w.blobs.bytesOf(file.fileId)!.slice()
    const from = w.app.services.log.size()
    await dealKey(w)
    const key = w.app.services.keyCeremonies.publicKey()!
    const after = p.store.file(paper.id)!
    expect([wrappedKeyVersion(after.wrappedKey), after.masterKeyId]).toEqual([2, key.id])
    expect(Buffer.from(w.blobs.bytesOf(file.fileId)!).equals(Buffer.from(cipher))).toBe(true) // the paper is not re-encrypted
    expect(readdirSync(join(dir, 'keys')).filter((f) => f.startsWith('master-'))).toEqual([])
    expect(loadMasterKeys(dir).keys).toEqual([])
    expect(eventsSince(w.app, from).map((e) => e.action)).toEqual([
      'keys.ceremony.started',
      'keys.ceremony.holder_registered',
      'keys.ceremony.holder_registered',
      'keys.ceremony.holder_registered',
      'keys.ceremony.completed',
      'keys.master_key.deleted',
    ])
    expect(eventsSince(w.app, from).at(-2)!.data).toMatchObject({ kind: 'initial', keyId: key.id, threshold: 2, rewrapped: 1 })
    // and two holders print it
    const job = must(p.requestPrint(w.custodian.person, paper.id))
    must(await p.approve(w.custodian2.person, job.id, w.custodian2.passphrase))
    must(await p.approve(w.custodian3.person, job.id, w.custodian3.passphrase))
    w.app.clock.now = IN_WINDOW
    expect(Buffer.from(await drain(must(await p.decrypt(w.custodian.person, job.id)).body)).equals(Buffer.from(bytes))).toBe(true)
  })

  test('adding and removing a holder re-deals with k current holders; the key and the papers stay, the removed share is gone', async () => {
    const w = await papersWorld()
    const k = w.app.services.keyCeremonies
    const { paper, file, bytes } = await paperWithFile(w)
    const before = k.publicKey()!
    const newcomer = await w.app.userWith(['custodian'], 'keeper4')
    const four = { ...newcomer, person: { user: newcomer.id, name: 'keeper4', roles: ['custodian'] }, passphrase: 'keeper four share phrase' }
    must(k.start(w.admin.person, { holders: [w.custodian.id, w.custodian2.id, newcomer.id], threshold: 2 }))
    expect(k.state().ceremony!.ceremony.kind).toBe('redeal')
    for (const h of [w.custodian, w.custodian2, four]) must(await k.register(h.person, h.passphrase))
    must(await k.contribute(w.custodian3.person, w.custodian3.passphrase)) // the leaving holder may help re-deal
    expect(k.state().ceremony).not.toBeNull() // one current share of two
    expect(codeOf(await k.contribute(w.custodian3.person, w.custodian3.passphrase))).toBe('keys.already_unlocked')
    expect(codeOf(await k.contribute(w.custodian.person, 'not my passphrase at all'))).toBe('key_share.wrong_passphrase')
    must(await k.contribute(w.custodian.person, w.custodian.passphrase))
    expect(k.state().ceremony).toBeNull()
    const st = k.state()
    expect(st.key!.id).toBe(before.id)
    expect(st.key!.holders.sort()).toEqual([w.custodian.id, w.custodian2.id, newcomer.id].sort())
    expect(Buffer.from(w.app.services.papers.store.file(paper.id)!.wrappedKey).equals(Buffer.from(file.wrappedKey))).toBe(true)
    const p = w.app.services.papers
    const job = must(p.requestPrint(w.custodian.person, paper.id))
    expect(codeOf(await p.approve(w.custodian3.person, job.id, w.custodian3.passphrase))).toBe('key_share.not_holder')
    must(await p.approve(four.person as never, job.id, four.passphrase))
    must(await p.approve(w.custodian2.person, job.id, w.custodian2.passphrase))
    w.app.clock.now = IN_WINDOW
    expect(Buffer.from(await drain(must(await p.decrypt(w.custodian.person, job.id)).body)).equals(Buffer.from(bytes))).toBe(true)
  })

  test('who may start and what a ceremony names: admins only, active custodians who are not admins, 2 <= k <= n, one at a time', async () => {
    const w = await papersWorld({ legacy: true })
    const k = w.app.services.keyCeremonies
    const ids = [w.custodian.id, w.custodian2.id, w.custodian3.id]
    expect(codeOf(k.start(w.custodian.person, { holders: ids, threshold: 2 }))).toBe('keys.not_allowed_for_role')
    expect(k.start(w.admin.person, { holders: [w.custodian.id, w.admin.id], threshold: 2 })).toMatchObject({
      ok: false,
      error: { code: 'keys.holders_invalid', reason: 'admin' },
    })
    expect(k.start(w.admin.person, { holders: [w.custodian.id, w.supervisor.id], threshold: 2 })).toMatchObject({
      ok: false,
      error: { code: 'keys.holders_invalid', reason: 'not_custodian' },
    })
    expect(k.start(w.admin.person, { holders: ids, threshold: 4 })).toMatchObject({ ok: false, error: { code: 'keys.holders_invalid', reason: 'threshold' } })
    expect(k.start(w.admin.person, { holders: [w.custodian.id, w.custodian.id], threshold: 2 })).toMatchObject({
      ok: false,
      error: { code: 'keys.holders_invalid', reason: 'duplicate' },
    })
    must(k.start(w.admin.person, { holders: ids, threshold: 2 }))
    expect(codeOf(k.start(w.admin.person, { holders: ids, threshold: 2 }))).toBe('keys.ceremony_open')
    expect(codeOf(await k.register(w.supervisor.person, 'a long passphrase here'))).toBe('keys.not_named')
    expect(codeOf(await k.register(w.custodian.person, 'short'))).toBe('key_share.passphrase_weak')
    expect(codeOf(await k.register(w.custodian.person, TEST_PASSWORD))).toBe('key_share.same_as_password')
    must(await k.register(w.custodian.person, PASSPHRASES.keeper1))
    expect(codeOf(await k.register(w.custodian.person, PASSPHRASES.keeper1))).toBe('keys.already_registered')
    expect(k.publicKey()).toBeNull() // not dealt until every holder registered
    must(k.cancel(w.admin.person))
    expect(k.state().ceremony).toBeNull()
  })
})

describe('key ceremony over HTTP (008)', () => {
  test('the state names holders by display name with k, n and the fingerprint; refusals are logged without the passphrase', async () => {
    const w = await papersWorld()
    const res = await w.app.call('GET', '/api/keys/paper-key', { cookie: w.custodian.cookie })
    expect(res.status).toBe(200)
    const st = (await res.json()) as {
      key: { threshold: number; fingerprint: string; holders: Array<{ displayName: string }> }
      me: { holder: boolean }
      ceremony: null
    }
    expect(st.key.threshold).toBe(2)
    expect(st.key.fingerprint).toMatch(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/)
    expect(st.key.holders.map((h) => h.displayName).sort()).toEqual(['keeper1', 'keeper2', 'keeper3'])
    expect(st.me.holder).toBe(true)
    expect((await w.app.call('GET', '/api/keys/paper-key', { cookie: w.registrar.cookie })).status).toBe(403)
    expect(
      (await w.app.call('POST', '/api/keys/ceremonies', { cookie: w.custodian.cookie, body: { holders: [w.custodian.id, w.custodian2.id], threshold: 2 } }))
        .status,
    ).toBe(403)

    const { paper } = await paperWithFile(w)
    const job = must(w.app.services.papers.requestPrint(w.custodian.person, paper.id))
    const from = w.app.services.log.size()
    const wrong = 'the wrong passphrase 123'
    const res2 = await w.app.call('POST', `/api/print-jobs/${job.id}/approve`, { cookie: w.custodian.cookie, body: { passphrase: wrong } })
    const body = await res2.text()
    expect(res2.status).toBe(403)
    expect(body).not.toContain(wrong)
    const logged = eventsSince(w.app, from)
    expect(logged).toMatchObject([{ action: 'custody.print.approve', outcome: 'refused', data: { code: 'key_share.wrong_passphrase' } }])
    expect(JSON.stringify(logged)).not.toContain(wrong)
    expect(((await (await approveAs(w, w.custodian, job.id)).json()) as { approvals: string[] }).approvals).toEqual([w.custodian.id])
    await moveTo(w, IN_WINDOW)
  })

  test('cancelling a job wipes its shares: a later decryption of another job is not helped by them', async () => {
    const w = await papersWorld()
    const p = w.app.services.papers
    const { paper } = await paperWithFile(w)
    const job = must(p.requestPrint(w.custodian.person, paper.id))
    must(await p.approve(w.custodian.person, job.id, w.custodian.passphrase))
    expect(w.app.services.keyCeremonies.heldFor(job.id)).toEqual([w.custodian.id])
    must(p.cancel(w.custodian.person, job.id, 'wrong rooms'))
    expect(w.app.services.keyCeremonies.heldFor(job.id)).toEqual([])
    const res = await w.app.call('POST', `/api/print-jobs/${job.id}/share`, { cookie: w.custodian2.cookie, body: { passphrase: w.custodian2.passphrase } })
    expect([res.status, ((await res.json()) as ErrorBody).error.code]).toEqual([409, 'print.wrong_state'])
  })

  test('a moved window lapses the approvals (006) and wipes the shares that came with them', async () => {
    const w = await papersWorld()
    const p = w.app.services.papers
    const { paper } = await paperWithFile(w)
    const job = must(p.requestPrint(w.custodian.person, paper.id))
    must(await p.approve(w.custodian.person, job.id, w.custodian.passphrase))
    must(await p.approve(w.custodian2.person, job.id, w.custodian2.passphrase))
    expect(w.app.services.keyCeremonies.heldFor(job.id).length).toBe(2)
    must(p.setSettings(w.custodian.person, w.batchId, { opensMinutesBefore: 2880, closesMinutesBefore: 60, openMinutesBefore: 15, sparesPerRoom: 2 }))
    expect(p.job(job.id)!.approvals).toEqual([])
    expect(w.app.services.keyCeremonies.heldFor(job.id)).toEqual([])
  })

  test('shares unlocked for a job are wiped when its window closes', async () => {
    const w = await papersWorld()
    const p = w.app.services.papers
    const { paper } = await paperWithFile(w)
    const job = must(p.requestPrint(w.custodian.person, paper.id))
    must(await p.approve(w.custodian.person, job.id, w.custodian.passphrase))
    must(await p.approve(w.custodian2.person, job.id, w.custodian2.passphrase))
    w.app.clock.now = p.windowOf(w.app.services.rooms.session(w.sessions.theory)!).closesAt
    expect(w.app.services.keyCeremonies.heldFor(job.id)).toEqual([])
  })
})
