import { describe, expect, test } from 'vitest'
import { residentIdHash } from '../server/services/lifecycle.ts'
import { makeTestApp } from './_app.ts'
import { CSV_HEADER, announcedBatch, csvRow, idOf, importCsv, json, lifecycleState, photoBase64 } from './_lifecycle-http.ts'

type Refusal = { error: { code: string; details: { errors: Array<{ row: number; column: string; code: string; message: string; messageEn: string }> } } }

async function setup() {
  const app = makeTestApp()
  const { cookie } = await app.userWith(['registrar'])
  const batch = await announcedBatch(app, cookie)
  const count = () => app.services.lifecycle.candidates.ofBatch(batch.batchId).length
  return { app, cookie, ...batch, count }
}

/** A refused import: 422 import.invalid, nothing stored, one refusal event naming the batch. */
async function refusedImport(s: Awaited<ReturnType<typeof setup>>, csv: string | Uint8Array) {
  const before = lifecycleState(s.app)
  const size = s.app.services.log.size()
  const body = await json<Refusal>(await importCsv(s.app, s.cookie, s.batchId, csv), 422)
  expect(body.error.code).toBe('import.invalid')
  expect(lifecycleState(s.app)).toBe(before)
  expect(s.app.services.log.size()).toBe(size + 1)
  expect(s.app.services.log.entry(size)!.event).toMatchObject({
    action: 'batch.import',
    outcome: 'refused',
    subject: { type: 'batch', id: s.batchId },
    data: { code: 'import.invalid', errorsCount: body.error.details.errors.length },
  })
  return body.error.details.errors
}

describe('CSV import (docs/import-format.md): all or nothing', () => {
  test('a good file imports every row, one event per candidate and one batch.import summary', async () => {
    const s = await setup()
    const size = s.app.services.log.size()
    const rows = Array.from({ length: 30 }, (_, i) => csvRow(`考生${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${'子丑寅卯辰巳午未申酉'[Math.floor(i / 10)]}`, idOf(i)))
    const body = await json<{ imported: number; encoding: string; ignoredColumns: string[] }>(
      await importCsv(s.app, s.cookie, s.batchId, `\uFEFF2026年第四批报名名单\n${CSV_HEADER},报名时间\n${rows.map((r) => `${r},2026-11-01`).join('\n')}\n`),
      201,
    )
    expect(body).toMatchObject({ imported: 30, encoding: 'utf-8-bom', ignoredColumns: ['报名时间'] })
    expect(s.count()).toBe(30)
    const actions = Array.from({ length: s.app.services.log.size() - size }, (_, i) => s.app.services.log.entry(size + i)!.event.action)
    expect(actions).toEqual([...Array(30).fill('candidate.registered'), 'batch.import'])
    expect(s.app.services.log.entry(size + 30)!.event.data).toEqual({ rows: 30, encoding: 'utf-8-bom', ignoredColumns: 1 })
  })

  test('a GB18030 (GBK) file from Chinese Excel imports too', async () => {
    const s = await setup()
    const text = `${CSV_HEADER}\r\n${csvRow('赵六', idOf(5))}\r\n`
    const gbk = gb18030(text)
    const body = await json<{ imported: number; encoding: string }>(await importCsv(s.app, s.cookie, s.batchId, gbk), 201)
    expect(body).toEqual(expect.objectContaining({ imported: 1, encoding: 'gb18030' }))
    expect(s.app.services.lifecycle.candidates.ofBatch(s.batchId)[0]!.name).toBe('赵六')
  })

  test('one bad row imports nothing, and the report names its row and column', async () => {
    const s = await setup()
    const bad = idOf(1).slice(0, 17) + (idOf(1).endsWith('0') ? '1' : '0') // wrong check character
    const errors = await refusedImport(s, [CSV_HEADER, csvRow('李四', idOf(0)), csvRow('王五', bad), csvRow('赵六', idOf(2))].join('\n'))
    expect(errors).toEqual([{ row: 3, column: '身份证号', code: 'id.check_digit', message: expect.any(String), messageEn: expect.any(String) }])
    expect(s.count()).toBe(0)
  })

  test('a row for another level is reported as not this batch, at its row', async () => {
    const s = await setup()
    const errors = await refusedImport(s, [CSV_HEADER, csvRow('李四', idOf(0)), csvRow('王五', idOf(1), 'x', '三级')].join('\n'))
    expect(errors).toEqual([
      expect.objectContaining({ row: 3, column: '申报等级', code: 'registration.not_this_batch', message: '本批次只接受电工（6-31-01-03）四级/中级工的报名' }),
    ])
  })

  test('a number already registered for the batch is refused at its row (import.already_registered)', async () => {
    const s = await setup()
    await json(await importCsv(s.app, s.cookie, s.batchId, `${CSV_HEADER}\n${csvRow('李四', idOf(0))}`), 201)
    const errors = await refusedImport(s, [CSV_HEADER, csvRow('王五', idOf(1)), csvRow('李四', idOf(0))].join('\n'))
    expect(errors).toEqual([expect.objectContaining({ row: 3, code: 'import.already_registered' })])
    expect(s.count()).toBe(1)
  })

  test('R7.3: a row whose one retake is used is refused at its row; a lapsed pass registers afresh (registration.retake_not_allowed)', async () => {
    const s = await setup()
    await json(await importCsv(s.app, s.cookie, s.batchId, `${CSV_HEADER}\n${csvRow('李四', idOf(0))}`), 201) // makes the PII salt
    const salt = s.app.services.db.query<{ value: string }, []>("SELECT value FROM settings WHERE key = 'pii_salt'").get()!.value
    const insert = s.app.services.db.query(
      'INSERT INTO subject_results (id, resident_id_hash, occupation_code, level, subject_kind, exam_date, passed, attempt, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)',
    )
    const used = residentIdHash(salt, idOf(3))
    insert.run('r1', used, '6-31-01-03', 4, 'theory', '2026-03-01', 1, 1)
    insert.run('r2', used, '6-31-01-03', 4, 'practical', '2026-03-01', 0, 1)
    insert.run('r3', used, '6-31-01-03', 4, 'practical', '2026-09-01', 0, 2)
    const lapsed = residentIdHash(salt, idOf(2))
    insert.run('r4', lapsed, '6-31-01-03', 4, 'theory', '2025-11-20', 1, 1)
    insert.run('r5', lapsed, '6-31-01-03', 4, 'practical', '2025-11-20', 0, 1)
    const errors = await refusedImport(s, [CSV_HEADER, csvRow('王五', idOf(1)), csvRow('孙七', idOf(2)), csvRow('周八', idOf(3))].join('\n'))
    expect(errors).toEqual([expect.objectContaining({ row: 4, code: 'registration.retake_not_allowed', message: expect.stringContaining('补考过一次') })])
    // without the refused row, the person whose pass lapsed (2025-11-20, valid through 2026-11-20) sits everything
    await json(await importCsv(s.app, s.cookie, s.batchId, [CSV_HEADER, csvRow('孙七', idOf(2))].join('\n')), 201)
  })

  test('a file that is not CSV text is refused before anything is read (415, not logged)', async () => {
    const s = await setup()
    const size = s.app.services.log.size()
    const res = await importCsv(s.app, s.cookie, s.batchId, `${CSV_HEADER}\n`, 'application/json')
    expect(res.status).toBe(415)
    expect(s.app.services.log.size()).toBe(size)
  })

  test('a file over the body limit is refused with 413', async () => {
    const s = await setup()
    const res = await importCsv(s.app, s.cookie, s.batchId, new Uint8Array(20_200_000).fill(0x41))
    expect(res.status).toBe(413)
  })

  test('after the import, imported candidates get their photo one by one', async () => {
    const s = await setup()
    const { candidateIds } = await json<{ candidateIds: string[] }>(
      await importCsv(s.app, s.cookie, s.batchId, `${CSV_HEADER}\n${csvRow('李四', idOf(0))}`),
      201,
    )
    const c = await json<{ hasPhoto: boolean }>(
      await s.app.call('PUT', `/api/candidates/${candidateIds[0]}/photo`, { cookie: s.cookie, body: { photoBase64: photoBase64() } }),
      200,
    )
    expect(c.hasPhoto).toBe(true)
  })
})

/** GB18030 bytes of text (Bun has no GB18030 encoder; this maps the few Chinese characters used here via a decoder table). */
function gb18030(text: string): Uint8Array {
  const dec = new TextDecoder('gb18030')
  const table = new Map<string, number[]>()
  const need = new Set([...text].filter((ch) => ch.charCodeAt(0) > 0x7f))
  for (let hi = 0x81; hi <= 0xfe && table.size < need.size; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      const ch = dec.decode(new Uint8Array([hi, lo]))
      if (need.has(ch) && !table.has(ch)) table.set(ch, [hi, lo])
    }
  }
  const out: number[] = []
  for (const ch of text) {
    const code = ch.charCodeAt(0)
    if (code <= 0x7f) out.push(code)
    else out.push(...table.get(ch)!)
  }
  return new Uint8Array(out)
}
