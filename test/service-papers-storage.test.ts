import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { generateMasterKey } from '../crypto/index.ts'
import { loadMasterKeys, masterKeyFiles, removeMasterKey, saveMasterKey } from '../server/keystore.ts'
import { FsPaperBlobStore, MemoryPaperBlobStore, type PaperBlobStore, blobSha256 } from '../server/paper-blobs.ts'
import { MasterKeyRing, checkSettings, newMasterKey } from '../server/services/papers.ts'

const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'custody-papers-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

async function* chunks(...parts: Uint8Array[]) {
  for (const p of parts) yield p
}
async function readAll(store: PaperBlobStore, id: string): Promise<Buffer> {
  const out: Uint8Array[] = []
  for await (const c of store.read(id)) out.push(c.slice())
  return Buffer.concat(out)
}
const bytes = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff)

const STORES: Array<[string, () => PaperBlobStore]> = [
  ['the file store', () => new FsPaperBlobStore(join(tempDir(), 'papers'))],
  ['the memory store', () => new MemoryPaperBlobStore()],
]

describe.each(STORES)('%s keeps ciphertext blobs', (_, make) => {
  test('a blob reads back byte for byte, with the size and SHA-256 the write reported', async () => {
    const store = make()
    const parts = [bytes(70_000, 1), bytes(3, 2), bytes(2_100_000, 3), bytes(0), bytes(65_552, 4)]
    const all = Buffer.concat(parts)
    const w = await store.write('file-1', chunks(...parts))
    expect(w).toEqual({ bytes: all.length, sha256: createHash('sha256').update(all).digest('hex') })
    expect((await readAll(store, 'file-1')).equals(all)).toBe(true)
    expect(await blobSha256(store, 'file-1')).toEqual(w)
    expect(await store.exists('file-1')).toBe(true)
  })

  test('a write that fails midway leaves nothing under the name', async () => {
    const store = make()
    async function* failing() {
      yield bytes(10)
      throw new Error('client went away')
    }
    await expect(store.write('file-2', failing())).rejects.toThrow('client went away')
    expect(await store.exists('file-2')).toBe(false)
  })

  test('remove forgets a blob, and removing twice is no error', async () => {
    const store = make()
    await store.write('file-3', chunks(bytes(5)))
    await store.remove('file-3')
    await store.remove('file-3')
    expect(await store.exists('file-3')).toBe(false)
  })

  test('file ids that could name another file are refused', async () => {
    const store = make()
    for (const bad of ['../etc', 'a/b', '', '.hidden', 'x'.repeat(81)]) {
      await expect(store.write(bad, chunks(bytes(1)))).rejects.toThrow(RangeError)
    }
  })
})

describe('the file store on disk', () => {
  test('blobs are <fileId>.enc, owner-only, and no temporary file stays behind', async () => {
    const dir = join(tempDir(), 'papers')
    const store = new FsPaperBlobStore(dir)
    await store.write('abc', chunks(bytes(100)))
    expect(readdirSync(dir)).toEqual(['abc.enc'])
    expect(statSync(join(dir, 'abc.enc')).mode & 0o777).toBe(0o600)
    expect(statSync(dir).mode & 0o777).toBe(0o700)
  })

  test('temporary files a crash left behind are removed at start; finished blobs stay', async () => {
    const dir = join(tempDir(), 'papers')
    const first = new FsPaperBlobStore(dir)
    await first.write('kept', chunks(bytes(10)))
    writeFileSync(join(dir, 'half.enc.1234.tmp'), 'partial')
    new FsPaperBlobStore(dir)
    expect(readdirSync(dir)).toEqual(['kept.enc'])
  })
})

describe('master key files (DATA_DIR/keys/master-<id>.key)', () => {
  test('a new data folder gets no plain master key at all (the paper key is split, 008)', () => {
    const dir = tempDir()
    expect(loadMasterKeys(dir).keys).toEqual([])
    expect(readdirSync(join(dir, 'keys')).filter((f) => f.startsWith('master-'))).toEqual([])
  })

  test('an existing data folder keeps its owner-only plain master key until a key ceremony converts it', () => {
    const dir = tempDir()
    const key = newMasterKey(Date.parse('2026-11-25T01:00:00Z'))
    expect(key.id).toMatch(/^mk-20261125T010000Z-[0-9a-f]{6}$/)
    saveMasterKey(dir, key, Date.parse('2026-11-25T01:00:00Z'))
    expect(statSync(join(dir, 'keys', `master-${key.id}.key`)).mode & 0o777).toBe(0o600)
    const again = loadMasterKeys(dir)
    expect(again.keys.map((k) => [k.id, Buffer.from(k.key).toString('hex')])).toEqual([[key.id, Buffer.from(key.key).toString('hex')]])
  })

  test('several keys load oldest first, so the newest wraps new files; a removed key is gone', () => {
    const dir = tempDir()
    saveMasterKey(dir, generateMasterKey('zzz-old'), Date.parse('2026-01-01T00:00:00Z'))
    saveMasterKey(dir, generateMasterKey('aaa-new'), Date.parse('2026-06-01T00:00:00Z'))
    expect(loadMasterKeys(dir).keys.map((k) => k.id)).toEqual(['zzz-old', 'aaa-new'])
    removeMasterKey(dir, 'zzz-old')
    expect(loadMasterKeys(dir).keys.map((k) => k.id)).toEqual(['aaa-new'])
    const keeper = masterKeyFiles(dir, () => Date.parse('2027-01-01T00:00:00Z'))
    keeper.save(generateMasterKey('mmm-newest'))
    expect(loadMasterKeys(dir).keys.map((k) => k.id)).toEqual(['aaa-new', 'mmm-newest'])
  })

  test('a key file whose name and content disagree is refused, not silently used', () => {
    const dir = tempDir()
    saveMasterKey(dir, generateMasterKey('mine'), 0)
    writeFileSync(join(dir, 'keys', 'master-other.key'), JSON.stringify({ id: 'different', key: '00'.repeat(32), createdAt: '2026-01-01T00:00:00Z' }))
    expect(() => loadMasterKeys(dir)).toThrow(/not a master key file/)
    expect(() => saveMasterKey(dir, { id: '../escape', key: new Uint8Array(32) }, 0)).toThrow(RangeError)
  })
})

describe('the master key ring', () => {
  test('a new key is kept before it is used; the current key cannot be retired', () => {
    const order: string[] = []
    const ring = new MasterKeyRing([generateMasterKey('one')], { save: (k) => order.push(`save ${k.id}`), remove: (id) => order.push(`remove ${id}`) })
    const two = newMasterKey(0)
    ring.add(two)
    expect(ring.current!.id).toBe(two.id)
    ring.retire('one')
    expect(order).toEqual([`save ${two.id}`, 'remove one'])
    expect(() => ring.retire(two.id)).toThrow(/current/)
    expect(() => ring.add(two)).toThrow(/exists/)
    expect(new MasterKeyRing([]).current).toBeNull() // a data folder made after the split key has none (008)
  })

  test('a keeper that cannot save stops the key from being used', () => {
    const ring = new MasterKeyRing([generateMasterKey('one')], {
      save: () => {
        throw new Error('disk full')
      },
      remove: () => {},
    })
    expect(() => ring.add(generateMasterKey('two'))).toThrow('disk full')
    expect(ring.ids()).toEqual(['one'])
  })
})

describe('custody settings bounds', () => {
  const ok = { opensMinutesBefore: 1440, closesMinutesBefore: 60, openMinutesBefore: 15, sparesPerRoom: 2 }
  test.each([
    [{ ...ok }, null],
    [{ ...ok, closesMinutesBefore: 0 }, null],
    [{ ...ok, opensMinutesBefore: 60 }, 'opensMinutesBefore'],
    [{ ...ok, opensMinutesBefore: 30 * 1440 + 1 }, 'opensMinutesBefore'],
    [{ ...ok, closesMinutesBefore: -1 }, 'closesMinutesBefore'],
    [{ ...ok, closesMinutesBefore: 1.5 }, 'closesMinutesBefore'],
    [{ ...ok, openMinutesBefore: 241 }, 'openMinutesBefore'],
    [{ ...ok, sparesPerRoom: 51 }, 'sparesPerRoom'],
  ])('%o → %s', (s, field) => {
    expect(checkSettings(s)?.field ?? null).toBe(field)
  })
})
