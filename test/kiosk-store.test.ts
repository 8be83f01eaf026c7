// The kiosk's storage and sync (kiosk/src/_kiosk-store.ts, _kiosk-sync.ts, _kiosk-device.ts) over fake-indexeddb,
// the standard IndexedDB test double: a record is signed and stored (with its admission, in one transaction)
// before anyone hears "recorded"; a reopened database (a reload) still holds it; the sync loop marks each record
// by the server's answer, keeps refused ones, and retries failed sends with backoff.
import 'fake-indexeddb/auto'
import { p256 } from '@noble/curves/nist.js'
import { describe, expect, test } from 'vitest'
import { canonicalJson } from '../audit/index.ts'
import { fromBase64 } from '../crypto/index.ts'
import { makeDeviceKey, rawPublicKey, recordText, requestHeaders, verifyRecord } from '../kiosk/src/_kiosk-device.ts'
import { checkOffline, rememberPerson } from '../kiosk/src/_kiosk-people.ts'
import { KioskStore } from '../kiosk/src/_kiosk-store.ts'
import { BATCH, BATCH_BYTES, SyncLoop, backoff, makeRecord, type RecordMaker } from '../kiosk/src/_kiosk-sync.ts'
import type { KioskRecord, SyncResult } from '../kiosk/src/_kiosk-types.ts'

let dbCount = 0
const fresh = () => KioskStore.open(`kiosk-test-${++dbCount}`)

async function maker(over: Partial<RecordMaker> = {}): Promise<RecordMaker & { pair: CryptoKeyPair }> {
  const pair = await makeDeviceKey()
  return {
    pair,
    deviceId: 'dev-1',
    privateKey: pair.privateKey,
    sessionId: 's-1',
    roomId: 'r-101',
    userId: 'u-inv',
    online: () => false,
    now: () => 1_000,
    ...over,
  }
}

describe('device key and signatures', () => {
  test('the private key is not extractable; the public key is the raw 65-byte point', async () => {
    const pair = await makeDeviceKey()
    expect(pair.privateKey.extractable).toBe(false)
    await expect(crypto.subtle.exportKey('pkcs8', pair.privateKey)).rejects.toThrow()
    const raw = fromBase64(await rawPublicKey(pair))
    expect(raw.length).toBe(65)
    expect(raw[0]).toBe(4)
  })

  test('a record is signed over the context line and canonical JSON without "signature"; the server’s p256 check accepts it', async () => {
    const m = await maker()
    const store = await fresh()
    const rec = await makeRecord(store, m, 'incident', { kind: 'illness', description: '头晕', seized: [], note: undefined })
    expect(rec.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect('note' in rec.body).toBe(false) // undefined fields dropped before signing: signed = sent
    const { signature: _, ...rest } = rec
    expect(recordText(rec)).toBe(`custody/kiosk-record/v1\n${canonicalJson(rest as never)}`)
    expect(await verifyRecord(m.pair.publicKey, rec)).toBe(true)
    const pub = fromBase64(await rawPublicKey(m.pair))
    const msg = new TextEncoder().encode(recordText(rec))
    expect(p256.verify(fromBase64(rec.signature), msg, pub, { prehash: true, format: 'compact', lowS: false })).toBe(true)
    expect(await verifyRecord(m.pair.publicKey, { ...rec, madeAt: rec.madeAt + 1 })).toBe(false)
  })

  test('request headers sign METHOD, path with query, time and the body hash', async () => {
    const m = await maker()
    const body = JSON.stringify({ records: [] })
    const h = await requestHeaders({ deviceId: 'dev-1', privateKey: m.privateKey }, 'post', '/api/kiosk/sync', body, 1234)
    expect(h['Custody-Device']).toBe('dev-1')
    expect(h['Custody-Device-Time']).toBe('1234')
    const hash = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body))), (x) => x.toString(16).padStart(2, '0')).join(
      '',
    )
    const msg = new TextEncoder().encode(`custody/kiosk-request/v1\nPOST\n/api/kiosk/sync\n1234\n${hash}`)
    const pub = fromBase64(await rawPublicKey(m.pair))
    expect(p256.verify(fromBase64(h['Custody-Device-Signature']!), msg, pub, { prehash: true, format: 'compact', lowS: false })).toBe(true)
  })
})

describe('the store', () => {
  test('the device row keeps its CryptoKeyPair (structured clone) across a reopen', async () => {
    const name = `kiosk-test-${++dbCount}`
    const store = await KioskStore.open(name)
    const pair = await makeDeviceKey()
    await store.putDevice({ deviceId: 'dev-9', siteId: 'site', siteName: '考点', label: '101 前门', keyPair: pair, enrolledAt: 5 })
    store.db.close()
    const again = await KioskStore.open(name)
    const row = await again.getDevice()
    expect(row?.deviceId).toBe('dev-9')
    expect(row?.keyPair.privateKey.extractable).toBe(false)
    const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, row!.keyPair.privateKey, new Uint8Array([1]))
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, pair.publicKey, sig, new Uint8Array([1]))).toBe(true)
  })

  test('an admission record and its admission row are written together, and survive a reopen (reload)', async () => {
    const name = `kiosk-test-${++dbCount}`
    const store = await KioskStore.open(name)
    const m = await maker()
    const rec = await makeRecord(
      store,
      m,
      'admission',
      { ticketNumber: 'T-1', candidateId: 'c-1', idCheck: 'matched', idNumberTyped: true, verdict: 'admitted' },
      {
        ticketNumber: 'T-1',
        candidateId: 'c-1',
        door: '101 前门',
      },
    )
    store.db.close()
    const again = await KioskStore.open(name)
    expect((await again.getRecord(rec.id))?.status).toBe('queued')
    expect(await again.countQueued()).toBe(1)
    expect(await again.admissions('s-1')).toEqual([
      { key: 's-1/T-1', sessionId: 's-1', roomId: 'r-101', ticketNumber: 'T-1', candidateId: 'c-1', at: 1_000, door: '101 前门', recordId: rec.id },
    ])
    expect((await again.recordsOf('admission')).map((r) => r.id)).toEqual([rec.id])
    expect(await again.recordsOf('incident')).toEqual([])
  })

  test('the same record id twice is refused by the store (nothing is overwritten)', async () => {
    const store = await fresh()
    const m = await maker()
    const rec = await makeRecord(store, m, 'incident', { kind: 'illness' })
    await expect(store.addRecord({ ...rec, body: { kind: 'other' } } as KioskRecord)).rejects.toThrow()
    expect((await store.getRecord(rec.id))?.record.body).toEqual({ kind: 'illness' })
  })

  test('packages are kept per session and room', async () => {
    const store = await fresh()
    const pkg = { session: { id: 's-1' }, room: { id: 'r-101' } } as never
    await store.savePackage(pkg, 'u-inv', 7)
    expect((await store.getPackage('s-1', 'r-101'))?.userId).toBe('u-inv')
    expect(await store.getPackage('s-1', 'r-102')).toBeUndefined()
  })
})

describe('the sync loop', () => {
  async function queue(n: number) {
    const store = await fresh()
    let t = 1_000
    const m = await maker({ now: () => t++ })
    const recs = []
    for (let i = 0; i < n; i++) recs.push(await makeRecord(store, m, 'incident', { n: i }))
    return { store, recs }
  }

  test('offline: nothing is sent and everything stays queued', async () => {
    const { store } = await queue(3)
    let calls = 0
    const loop = new SyncLoop(
      store,
      async () => (calls++, []),
      () => false,
      () => 10_000,
    )
    await loop.kick()
    expect(calls).toBe(0)
    expect((await loop.state()).queued).toBe(3)
  })

  test('online: records go in order, in batches, and are marked by the per-record answer; refused ones stay, shown', async () => {
    const { store, recs } = await queue(BATCH + 5)
    const sent: string[][] = []
    const send = async (records: KioskRecord[]): Promise<SyncResult[]> => {
      sent.push(records.map((r) => r.id))
      return records.map((r) =>
        r.id === recs[1]!.id
          ? { id: r.id, status: 'refused', flags: [], code: 'kiosk.record_id_reused', message: '记录编号重复', messageEn: 'Record id reused' }
          : { id: r.id, status: r.id === recs[2]!.id ? 'duplicate' : 'stored', flags: r.id === recs[0]!.id ? ['offline'] : [] },
      )
    }
    const states: number[] = []
    const loop = new SyncLoop(
      store,
      send,
      () => true,
      () => 50_000,
      (s) => states.push(s.queued),
    )
    await loop.kick()
    expect(sent.map((b) => b.length)).toEqual([BATCH, 5])
    expect(sent.flat()).toEqual(recs.map((r) => r.id))
    const s = await loop.state()
    expect(s).toMatchObject({ queued: 0, refused: 1, lastSyncAt: 50_000, problem: null })
    const refused = await store.refused()
    expect(refused[0]).toMatchObject({ id: recs[1]!.id, code: 'kiosk.record_id_reused', messageEn: 'Record id reused' })
    expect((await store.getRecord(recs[0]!.id))?.flags).toEqual(['offline'])
    expect((await store.getRecord(recs[2]!.id))?.status).toBe('stored')
    expect(states.at(-1)).toBe(0)
  })

  test('a failed send keeps the batch queued and waits (backoff) before trying again', async () => {
    const { store } = await queue(2)
    let now = 10_000
    let fail = true
    let calls = 0
    const send = async (records: KioskRecord[]): Promise<SyncResult[]> => {
      calls++
      if (fail) throw Object.assign(new Error('无法连接服务器'), { code: 'network.unreachable', messageEn: 'Cannot reach the server' })
      return records.map((r) => ({ id: r.id, status: 'stored' as const, flags: [] }))
    }
    const loop = new SyncLoop(
      store,
      send,
      () => true,
      () => now,
    )
    await loop.kick()
    expect(calls).toBe(1)
    expect((await loop.state()).problem?.code).toBe('network.unreachable')
    expect((await loop.state()).queued).toBe(2)
    await loop.kick() // too soon: the backoff holds
    expect(calls).toBe(1)
    now += backoff(0)
    fail = false
    await loop.kick()
    expect(calls).toBe(2)
    expect(await loop.state()).toMatchObject({ queued: 0, problem: null })
    expect(backoff(0)).toBe(2_000)
    expect(backoff(3)).toBe(16_000)
    expect(backoff(50)).toBe(300_000)
  })

  test('a batch stays under BATCH_BYTES: big records (photos) go a few at a time', async () => {
    const store = await fresh()
    const m = await maker()
    const photo = 'x'.repeat(Math.ceil(BATCH_BYTES / 3))
    for (let i = 0; i < 4; i++) await makeRecord(store, m, 'incident', { kind: 'illness', photo })
    const sizes: number[] = []
    const loop = new SyncLoop(
      store,
      async (records) => (sizes.push(records.length), records.map((r) => ({ id: r.id, status: 'stored' as const, flags: [] }))),
      () => true,
      () => 5_000,
    )
    await loop.kick()
    expect(sizes).toEqual([2, 2])
  })

  test('a record the server did not answer for stays queued', async () => {
    const { store, recs } = await queue(2)
    const loop = new SyncLoop(
      store,
      async (r) => [{ id: r[0]!.id, status: 'stored', flags: [] }],
      () => true,
      () => 9_000,
    )
    await loop.kick()
    expect((await store.getRecord(recs[1]!.id))?.status).toBe('queued')
    expect((await store.getRecord(recs[0]!.id))?.status).toBe('stored')
  })
})

describe('offline verifiers of people on this device', () => {
  test('kept as scrypt with salt deviceId ‖ userId (never the password); offline the same password matches, another does not', async () => {
    const store = await fresh()
    await rememberPerson(store, 'dev-1', { userId: 'u-2', username: 'Invigilator2', displayName: '王监考' }, 'custody-demo', 10)
    const row = await store.getVerifierByUsername('invigilator2')
    expect(row).toMatchObject({ userId: 'u-2', displayName: '王监考', params: { N: 16384, r: 8, p: 1 } })
    expect(JSON.stringify(row)).not.toContain('custody-demo')
    expect((await checkOffline(store, 'dev-1', ' INVIGILATOR2 ', 'custody-demo'))?.userId).toBe('u-2')
    expect(await checkOffline(store, 'dev-1', 'invigilator2', 'custody-dem0')).toBeNull()
    expect(await checkOffline(store, 'dev-1', 'nobody', 'custody-demo')).toBeNull()
    // the same password on another device gives another verifier: a copied database does not carry over
    const other = await fresh()
    await rememberPerson(other, 'dev-2', { userId: 'u-2', username: 'invigilator2', displayName: '王监考' }, 'custody-demo', 10)
    expect((await other.getVerifierByUsername('invigilator2'))?.hash).not.toBe(row?.hash)
  })
})
