/**
 * Bulk registration from the municipal platform's CSV export (R3.1: "bulk import is a normal path").
 * The format is specified in docs/import-format.md. All or nothing: one bad row imports nothing, and
 * every problem in the file is reported with its spreadsheet row and column so it can be fixed in one pass.
 */
import { parseCsv } from './_csv.ts'
import { matchHeader } from './_header.ts'
import type { CsvError } from './_csv.ts'
import { parseResidentId } from './_resident-id.ts'
import { FIELD_LABELS, validateRegistration } from './_registration.ts'
import type { FieldErrorCode, Registration, RegistrationContext, RegistrationField, RegistrationInput } from './_registration.ts'

export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030'

/**
 * Text of a CSV file: UTF-8 with or without a byte-order mark, else GB18030 (which covers the GBK that
 * Excel and WPS write on Chinese Windows). `lossy` is true when neither decodes cleanly and characters
 * were replaced with U+FFFD. Plain ASCII is reported as 'utf-8'.
 */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: CsvEncoding; lossy: boolean } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const body = bytes.subarray(3)
    const text = tryDecode('utf-8', body)
    return text === null
      ? { text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(body), encoding: 'utf-8-bom', lossy: true }
      : { text, encoding: 'utf-8-bom', lossy: false }
  }
  // Valid UTF-8 is tried first: GB18030 text with Chinese in it is practically never valid UTF-8.
  const utf8 = tryDecode('utf-8', bytes)
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8', lossy: false }
  const gb = tryDecode('gb18030', bytes)
  return gb === null ? { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030', lossy: true } : { text: gb, encoding: 'gb18030', lossy: false }
}

function tryDecode(label: 'utf-8' | 'gb18030', bytes: Uint8Array): string | null {
  try {
    // ignoreBOM keeps a U+FEFF in place; decodeCsvBytes strips a UTF-8 BOM itself and says so.
    return new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch {
    return null
  }
}

/** The columns of the import format: canonical header first, then the other spellings exports use. */
export const IMPORT_COLUMNS: ReadonlyArray<{ field: RegistrationField; headers: readonly string[]; required: boolean }> = [
  { field: 'name', headers: ['姓名', '考生姓名'], required: true },
  { field: 'residentId', headers: ['身份证号', '身份证号码', '公民身份号码', '证件号码'], required: true },
  { field: 'occupationCode', headers: ['职业编码', '职业代码', '职业(工种)编码', '工种编码'], required: true },
  { field: 'level', headers: ['申报等级', '报考等级', '申报级别', '等级'], required: true },
  { field: 'gender', headers: ['性别'], required: false },
  { field: 'birthDate', headers: ['出生日期', '出生年月日'], required: false },
  { field: 'phone', headers: ['联系电话', '手机号', '手机号码', '联系方式'], required: false },
  { field: 'education', headers: ['文化程度', '学历'], required: false },
  { field: 'trainingUnit', headers: ['培训机构', '培训单位'], required: false },
  { field: 'occupationName', headers: ['职业名称', '职业(工种)名称', '工种名称', '工种'], required: false },
  { field: 'workYears', headers: ['从业年限', '工作年限', '本职业工作年限'], required: false },
  { field: 'candidateId', headers: ['考生编号', '考生号', '报名编号'], required: false },
  { field: 'earlierCertificate.number', headers: ['原证书编号', '原证书号'], required: false },
  { field: 'earlierCertificate.level', headers: ['原证书等级'], required: false },
  { field: 'earlierCertificate.occupation', headers: ['原证书职业', '原证书职业(工种)'], required: false },
  { field: 'earlierCertificate.issuedOn', headers: ['原证书发证日期', '原证书发证时间'], required: false },
]

export type ImportLimits = { maxBytes: number; maxRows: number }
export const DEFAULT_IMPORT_LIMITS: ImportLimits = { maxBytes: 20_000_000, maxRows: 50_000 }

export type ImportContext = RegistrationContext & {
  /** Resident ID numbers (normalised, upper-case X) already registered for this batch. */
  existingIds?: ReadonlySet<string>
  limits?: Partial<ImportLimits>
}

export type ImportErrorCode =
  | FieldErrorCode
  | CsvError['code']
  | 'import.too_large'
  | 'import.encoding'
  | 'import.no_header'
  | 'import.missing_column'
  | 'import.duplicate_column'
  | 'import.too_many_rows'
  | 'import.no_rows'
  | 'import.extra_cells'
  | 'import.duplicate_id'
  | 'import.already_registered'

export type ImportError = {
  /**
   * The row number a spreadsheet shows: the file's first line is row 1 (normally the header), so the
   * first data row is row 2; a cell with line breaks still counts as one row. 0 = the file as a whole.
   */
  row: number
  /** The header as written in the file (or the canonical header of a missing column); '' = the whole row or file. */
  column: string
  code: ImportErrorCode
  message: string
  messageEn: string
}

export type ImportResult = { ok: true; rows: Registration[]; encoding: CsvEncoding; ignoredColumns: string[] } | { ok: false; errors: ImportError[] }

/**
 * Validate a whole CSV export; rows come back only when every row is valid.
 * Example: parseImport(bytes, { today: '2025-06-01', occupations, existingIds }) → { ok: true, rows } | { ok: false, errors }
 */
export function parseImport(bytes: Uint8Array, ctx: ImportContext): ImportResult {
  const limits = { ...DEFAULT_IMPORT_LIMITS, ...ctx.limits }
  const fileError = (code: ImportErrorCode, message: string, messageEn: string): ImportResult => ({
    ok: false,
    errors: [{ row: 0, column: '', code, message, messageEn }],
  })

  if (bytes.length > limits.maxBytes) {
    return fileError(
      'import.too_large',
      `文件过大（${bytes.length}字节），上限为${limits.maxBytes}字节，请分批导入`,
      `The file is too large (${bytes.length} bytes); the limit is ${limits.maxBytes} bytes, import it in parts`,
    )
  }
  // Excel's "Unicode text" is UTF-16 with tabs, not CSV; say so rather than decode garbage.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return fileError(
      'import.encoding',
      '文件是UTF-16“Unicode文本”，请在Excel中另存为“CSV UTF-8（逗号分隔）”',
      'The file is UTF-16 "Unicode text"; in Excel, save it as "CSV UTF-8 (comma delimited)"',
    )
  }
  const decoded = decodeCsvBytes(bytes)
  if (decoded.lossy) {
    return fileError(
      'import.encoding',
      '无法识别文件编码（既不是UTF-8也不是GB18030/GBK），请另存为“CSV UTF-8（逗号分隔）”',
      'The file is neither UTF-8 nor GB18030/GBK; save it as "CSV UTF-8 (comma delimited)"',
    )
  }

  const parsed = parseCsv(decoded.text)
  if (!parsed.ok) {
    const e = parsed.error
    return { ok: false, errors: [{ row: e.row, column: '', code: e.code, message: e.message, messageEn: e.messageEn }] }
  }
  const records = parsed.value

  // The header row and what each column means (shared with the theory score import).
  const matched = matchHeader(records, IMPORT_COLUMNS, '姓名,身份证号,职业编码,申报等级')
  if (!matched.ok) return { ok: false, errors: matched.errors }
  const { header, headerIndex, fieldColumn, ignoredColumns } = matched
  const errors: ImportError[] = []

  // Blank rows (often left at the end by spreadsheets) are skipped but still counted in row numbers.
  const dataRows: Array<{ row: number; cells: string[] }> = []
  for (let i = headerIndex + 1; i < records.length; i++) {
    const cells = records[i]!
    if (cells.some((c) => c.trim() !== '')) dataRows.push({ row: i + 1, cells })
  }
  if (dataRows.length === 0) return fileError('import.no_rows', '文件中没有考生数据', 'The file has a header but no candidates')
  if (dataRows.length > limits.maxRows) {
    return fileError(
      'import.too_many_rows',
      `文件有${dataRows.length}行考生数据，上限为${limits.maxRows}行，请分批导入`,
      `The file has ${dataRows.length} candidate rows; the limit is ${limits.maxRows}, import it in parts`,
    )
  }

  const columnName = (field: RegistrationField): string => {
    const index = fieldColumn.get(field)
    return index === undefined ? canonicalHeader(field) : header[index]!.trim()
  }
  const headerPosition = new Map([...fieldColumn.values()].map((index) => [header[index]!.trim(), index]))
  const rows: Registration[] = []
  const firstRowById = new Map<string, number>()
  for (const { row, cells } of dataRows) {
    // Exports that trim trailing empty cells are fine; cells beyond the header are not.
    const extra = cells.slice(header.length).some((c) => c.trim() !== '')
    if (extra) {
      errors.push({
        row,
        column: '',
        code: 'import.extra_cells',
        message: `第${row}行的单元格比表头多，可能有未加引号的逗号`,
        messageEn: `Row ${row} has more cells than the header; perhaps a comma that is not quoted`,
      })
      continue
    }
    const cell = (field: RegistrationField): string | undefined => {
      const index = fieldColumn.get(field)
      return index === undefined ? undefined : cells[index]
    }
    const input: RegistrationInput = {
      candidateId: cell('candidateId'),
      name: cell('name'),
      residentId: cell('residentId'),
      gender: cell('gender'),
      birthDate: cell('birthDate'),
      phone: cell('phone'),
      education: cell('education'),
      trainingUnit: cell('trainingUnit'),
      occupationCode: cell('occupationCode'),
      occupationName: cell('occupationName'),
      level: cell('level'),
      workYears: cell('workYears'),
      earlierCertificate: {
        number: cell('earlierCertificate.number'),
        level: cell('earlierCertificate.level'),
        occupation: cell('earlierCertificate.occupation'),
        issuedOn: cell('earlierCertificate.issuedOn'),
      },
    }
    const result = validateRegistration(input, ctx)
    if (result.ok) rows.push(result.value)
    else for (const e of result.error) errors.push({ row, column: columnName(e.field), code: e.code, message: e.message, messageEn: e.messageEn })

    // Duplicates are judged on the number alone, so they are found even in rows with other problems.
    const id = parseResidentId(input.residentId ?? '', ctx.today)
    if (!id.ok) continue
    const number = id.value.number
    const first = firstRowById.get(number)
    if (first !== undefined) {
      errors.push({
        row,
        column: columnName('residentId'),
        code: 'import.duplicate_id',
        message: `身份证号与第${first}行重复`,
        messageEn: `The same resident ID number as row ${first}`,
      })
    } else {
      firstRowById.set(number, row)
      if (ctx.existingIds?.has(number)) {
        errors.push({
          row,
          column: columnName('residentId'),
          code: 'import.already_registered',
          message: '该身份证号已在本批次报名',
          messageEn: 'This resident ID number is already registered for this batch',
        })
      }
    }
  }

  if (errors.length > 0) {
    // Reported in reading order: by row, then left to right as the columns stand in the file.
    const position = (column: string) => (column === '' ? -1 : (headerPosition.get(column) ?? header.length))
    errors.sort((a, b) => a.row - b.row || position(a.column) - position(b.column))
    return { ok: false, errors }
  }
  return { ok: true, rows, encoding: decoded.encoding, ignoredColumns }
}

function canonicalHeader(field: RegistrationField): string {
  return IMPORT_COLUMNS.find((c) => c.field === field)?.headers[0] ?? FIELD_LABELS[field].zh
}
