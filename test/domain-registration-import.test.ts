import { describe, expect, test } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { IMPORT_COLUMNS, decodeCsvBytes, makeResidentId, parseImport } from '../server/domain/registration/index.ts'
import type { ImportContext, ImportResult, OccupationCatalogue } from '../server/domain/registration/index.ts'
import { gb18030 } from './_gb18030.ts'

const occupations: OccupationCatalogue = new Map([
  ['4-07-05-04', { levels: [5, 4, 3], name: '企业人力资源管理师' }],
  ['6-31-01-03', { levels: [5, 4, 3, 2, 1], name: '电工' }],
])
const ctx: ImportContext = { today: '2025-06-01', occupations }

const ID1 = makeResidentId('500103', '1990-03-07', 123) // male
const ID2 = makeResidentId('500112', '1988-11-20', 246) // female
const ID3 = makeResidentId('510104', '2001-07-15', 11) // male

const utf8 = (text: string) => new TextEncoder().encode(text)
const withBom = (text: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)])

const HEADER = '姓名,身份证号,性别,联系电话,培训机构,职业编码,职业名称,申报等级,从业年限'
const GOOD =
  [
    HEADER,
    `张三,${ID1},男,13800138000,重庆市某职业培训学校,4-07-05-04,企业人力资源管理师,四级,5`,
    `李四,${ID2},女,023-63212345,,4-07-05-04,,三级/高级工,`,
    `王五,${ID3},男,,,6-31-01-03,电工,五级,1`,
  ].join('\r\n') + '\r\n'

function expectOk(r: ImportResult) {
  if (!r.ok) throw new Error(JSON.stringify(r.errors, null, 1))
  return r
}
function expectErrors(r: ImportResult) {
  if (r.ok) throw new Error('expected the import to be refused')
  return r.errors
}

describe('a good file', () => {
  test('in UTF-8 imports every row, normalised', () => {
    const r = expectOk(parseImport(utf8(GOOD), ctx))
    expect(r.encoding).toBe('utf-8')
    expect(r.rows).toHaveLength(3)
    expect(r.rows[0]).toEqual({
      name: '张三',
      residentId: ID1,
      gender: 'male',
      birthDate: '1990-03-07',
      phone: '13800138000',
      trainingUnit: '重庆市某职业培训学校',
      occupationCode: '4-07-05-04',
      occupationName: '企业人力资源管理师',
      level: 4,
      workYears: 5,
    })
    expect(r.rows.map((x) => [x.name, x.level, x.phone])).toEqual([
      ['张三', 4, '13800138000'],
      ['李四', 3, '023-63212345'],
      ['王五', 5, undefined],
    ])
  })

  test('in UTF-8 with a byte-order mark imports the same rows (the BOM is not part of the first header)', () => {
    const r = expectOk(parseImport(withBom(GOOD), ctx))
    expect(r.encoding).toBe('utf-8-bom')
    expect(r.rows).toEqual(expectOk(parseImport(utf8(GOOD), ctx)).rows)
  })

  test('in GB18030 imports the same rows', () => {
    const r = expectOk(parseImport(gb18030(GOOD), ctx))
    expect(r.encoding).toBe('gb18030')
    expect(r.rows).toEqual(expectOk(parseImport(utf8(GOOD), ctx)).rows)
  })

  test('header order is free, alternative header spellings, "*" marks and full-width brackets are understood', () => {
    const text = ['申报等级*,职业（工种）编码*,公民身份号码*,考生姓名*', `四级,4-07-05-04,${ID1},张三`].join('\n')
    expect(expectOk(parseImport(utf8(text), ctx)).rows).toMatchObject([{ name: '张三', residentId: ID1, level: 4 }])
  })

  test('unknown columns are ignored and listed', () => {
    const text = ['序号,姓名,身份证号,职业编码,申报等级,审核状态', `1,张三,${ID1},4-07-05-04,四级,已审核`].join('\n')
    const r = expectOk(parseImport(utf8(text), ctx))
    expect(r.ignoredColumns).toEqual(['序号', '审核状态'])
    expect(r.rows).toHaveLength(1)
  })

  test('quoted cells may hold commas, quotes and line breaks', () => {
    const text = [
      '姓名,身份证号,职业编码,申报等级,培训机构',
      `张三,${ID1},4-07-05-04,四级,"重庆市,某""职业""培训学校"`,
      `李四,${ID2},4-07-05-04,四级,"第一行\n第二行"`,
    ].join('\r\n')
    const r = expectOk(parseImport(utf8(text), ctx))
    expect(r.rows.map((x) => x.trainingUnit)).toEqual(['重庆市,某"职业"培训学校', '第一行\n第二行'])
  })

  test('a title line above the header is skipped, and blank rows are skipped', () => {
    const text = ['2025年第一批报名名单,,,', '姓名,身份证号,职业编码,申报等级', `张三,${ID1},4-07-05-04,四级`, ',,,', '', `李四,${ID2},4-07-05-04,四级`].join(
      '\n',
    )
    expect(expectOk(parseImport(utf8(text), ctx)).rows.map((x) => x.name)).toEqual(['张三', '李四'])
  })

  test('rows with trailing empty cells left out are accepted', () => {
    const text = ['姓名,身份证号,职业编码,申报等级,联系电话,培训机构', `张三,${ID1},4-07-05-04,四级`].join('\n')
    expect(expectOk(parseImport(utf8(text), ctx)).rows).toHaveLength(1)
  })
})

describe('all or nothing', () => {
  test('one bad row imports nothing and names its spreadsheet row and column', () => {
    const bad = GOOD.replace(ID2, ID2.slice(0, 17) + (ID2[17] === '0' ? '1' : '0'))
    const errors = expectErrors(parseImport(utf8(bad), ctx))
    expect(errors).toEqual([expect.objectContaining({ row: 3, column: '身份证号', code: 'id.check_digit' })])
    expect(errors[0]!.message).toContain(ID2[17])
  })

  test('every problem in every row is reported, in row order, under the header as written in the file', () => {
    const text = [
      '姓名,身份证号码,职业编码,申报等级,联系电话',
      `张三,${ID1},9-99-99-99,四级,123`,
      `李四1,${ID2},4-07-05-04,二级,`,
      `王五,${ID3},4-07-05-04,四级,`,
    ].join('\n')
    expect(expectErrors(parseImport(utf8(text), ctx)).map((e) => [e.row, e.column, e.code])).toEqual([
      [2, '职业编码', 'registration.unknown_occupation'],
      [2, '联系电话', 'registration.invalid_phone'],
      [3, '姓名', 'registration.invalid_name'],
      [3, '申报等级', 'registration.level_not_offered'],
    ])
  })

  test('a row after a cell with line breaks is still numbered as the spreadsheet shows it', () => {
    const text = ['姓名,身份证号,职业编码,申报等级,培训机构', `张三,${ID1},4-07-05-04,四级,"a\nb\nc"`, `李四,${ID2},4-07-05-04,九级,`].join('\n')
    expect(expectErrors(parseImport(utf8(text), ctx))).toMatchObject([{ row: 3, column: '申报等级', code: 'registration.invalid_level' }])
  })

  test('a resident ID number twice in the file is refused at the second row, naming the first (import.duplicate_id)', () => {
    const text = [
      '姓名,身份证号,职业编码,申报等级',
      `张三,${ID1},4-07-05-04,四级`,
      `王五,${ID3},4-07-05-04,四级`,
      `张三,${ID1.toLowerCase()},4-07-05-04,三级`,
    ].join('\n')
    const errors = expectErrors(parseImport(utf8(text), ctx))
    expect(errors).toMatchObject([{ row: 4, column: '身份证号', code: 'import.duplicate_id' }])
    expect(errors[0]!.messageEn).toContain('row 2')
  })

  test('a resident ID number already registered for the batch is refused (import.already_registered)', () => {
    expect(expectErrors(parseImport(utf8(GOOD), { ...ctx, existingIds: new Set([ID3]) }))).toMatchObject([
      { row: 4, column: '身份证号', code: 'import.already_registered' },
    ])
  })

  test('a row with more cells than the header is refused (import.extra_cells)', () => {
    const text = ['姓名,身份证号,职业编码,申报等级', `张三,${ID1},4-07-05-04,四级,重庆,某学校`].join('\n')
    expect(expectErrors(parseImport(utf8(text), ctx))).toMatchObject([{ row: 2, column: '', code: 'import.extra_cells' }])
  })
})

describe('the file as a whole', () => {
  test('a missing required column is refused (import.missing_column) and named', () => {
    const text = ['姓名,性别,职业编码,申报等级', `张三,男,4-07-05-04,四级`].join('\n')
    expect(expectErrors(parseImport(utf8(text), ctx))).toEqual([expect.objectContaining({ row: 1, column: '身份证号', code: 'import.missing_column' })])
  })

  test('the same column twice under different spellings is refused (import.duplicate_column)', () => {
    const text = ['姓名,身份证号,证件号码,职业编码,申报等级', `张三,${ID1},${ID1},4-07-05-04,四级`].join('\n')
    expect(expectErrors(parseImport(utf8(text), ctx))).toMatchObject([{ row: 1, column: '证件号码', code: 'import.duplicate_column' }])
  })

  test('a file without a recognisable header is refused (import.no_header); a header alone is refused (import.no_rows)', () => {
    expect(expectErrors(parseImport(utf8('a,b,c\n1,2,3'), ctx))).toMatchObject([{ row: 0, code: 'import.no_header' }])
    expect(expectErrors(parseImport(utf8(''), ctx))).toMatchObject([{ code: 'import.no_header' }])
    expect(expectErrors(parseImport(utf8('姓名,身份证号,职业编码,申报等级\r\n,,,\r\n'), ctx))).toMatchObject([{ row: 0, code: 'import.no_rows' }])
  })

  test('more data rows than the limit are refused before any row is checked (import.too_many_rows)', () => {
    expect(expectErrors(parseImport(utf8(GOOD), { ...ctx, limits: { maxRows: 2 } }))).toMatchObject([{ row: 0, code: 'import.too_many_rows' }])
    expect(expectOk(parseImport(utf8(GOOD), { ...ctx, limits: { maxRows: 3 } })).rows).toHaveLength(3)
  })

  test('a file over the byte limit is refused unread (import.too_large)', () => {
    const bytes = utf8(GOOD)
    expect(expectErrors(parseImport(bytes, { ...ctx, limits: { maxBytes: bytes.length - 1 } }))).toMatchObject([{ code: 'import.too_large' }])
  })

  test('UTF-16 "Unicode text" and bytes that are neither UTF-8 nor GB18030 are refused (import.encoding)', () => {
    expect(expectErrors(parseImport(new Uint8Array([0xff, 0xfe, 0x53, 0x59]), ctx))).toMatchObject([{ code: 'import.encoding' }])
    expect(expectErrors(parseImport(new Uint8Array([0x41, 0x81, 0x20, 0xff]), ctx))).toMatchObject([{ code: 'import.encoding' }])
  })

  test('an unterminated quote is refused (csv.unterminated_quote) with the row where it opened', () => {
    const text = ['姓名,身份证号,职业编码,申报等级', `张三,${ID1},4-07-05-04,四级`, `"李四,${ID2},4-07-05-04,四级`].join('\n')
    expect(expectErrors(parseImport(utf8(text), ctx))).toMatchObject([{ row: 3, code: 'csv.unterminated_quote' }])
  })
})

describe('decodeCsvBytes', () => {
  test('the GB18030 test table agrees with known code points: 中 D6D0, 文 CEC4, 姓 D0D5, 名 C3FB, 张 D5C5, 三 C8FD', () => {
    expect([...gb18030('中文姓名张三')]).toEqual([0xd6, 0xd0, 0xce, 0xc4, 0xd0, 0xd5, 0xc3, 0xfb, 0xd5, 0xc5, 0xc8, 0xfd])
  })

  test('recognises UTF-8, UTF-8 with BOM and GB18030', () => {
    expect(decodeCsvBytes(utf8('姓名,A'))).toEqual({ text: '姓名,A', encoding: 'utf-8', lossy: false })
    expect(decodeCsvBytes(withBom('姓名,A'))).toEqual({ text: '姓名,A', encoding: 'utf-8-bom', lossy: false })
    expect(decodeCsvBytes(new Uint8Array([0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0x41]))).toEqual({ text: '姓名,A', encoding: 'gb18030', lossy: false })
  })

  test('decodes GB18030 four-byte sequences (characters outside GBK)', () => {
    // 0x95 0x32 0x82 0x36 is U+20000 𠀀 (GB18030-2005 four-byte range for the supplementary planes).
    expect(decodeCsvBytes(new Uint8Array([0xd5, 0xc5, 0x95, 0x32, 0x82, 0x36]))).toMatchObject({ text: '张𠀀', encoding: 'gb18030' })
  })

  test('plain ASCII is UTF-8; undecodable bytes are marked lossy', () => {
    expect(decodeCsvBytes(utf8('a,b'))).toMatchObject({ encoding: 'utf-8', lossy: false })
    expect(decodeCsvBytes(new Uint8Array([0x41, 0x81, 0x20]))).toMatchObject({ encoding: 'gb18030', lossy: true })
  })
})

describe('docs/import-format.md', () => {
  const doc = readFileSync(join(import.meta.dirname, '../docs/import-format.md'), 'utf8')

  test('its example file imports cleanly', () => {
    const example = /```csv\n([\s\S]*?)```/.exec(doc)![1]!
    const r = expectOk(parseImport(utf8(example), ctx))
    expect(r.rows.map((x) => [x.name, x.level, x.earlierCertificate?.level])).toEqual([
      ['张三', 4, undefined],
      ['李四', 3, 4],
    ])
  })

  test('its column table lists exactly the columns, spellings and required flags of IMPORT_COLUMNS', () => {
    // Rows of the one table whose third column is the required flag.
    const table = doc
      .split('\n')
      .map((l) => l.split('|').map((c) => c.trim()))
      .filter((cells) => /^(\*\*yes\*\*|no¹?)$/.test(cells[3] ?? ''))
      .map(([, canonical, also, required]) => ({
        headers: [canonical!, ...(also ? also.split(', ') : [])],
        required: required === '**yes**',
      }))
    expect(table).toEqual(IMPORT_COLUMNS.map((c) => ({ headers: [...c.headers], required: c.required })))
  })
})
