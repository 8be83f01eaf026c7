/**
 * The header row of an imported CSV, shared by the registration import and the theory score import: the first
 * of the first HEADER_SEARCH_ROWS rows that names at least two known columns (title lines above it are skipped),
 * each known column once, the required ones present. Headers are matched after folding full-width forms
 * (（工种） → (工种)), dropping white space and the '*' that templates put on required columns.
 */

export const HEADER_SEARCH_ROWS = 10

export interface HeaderColumn<F extends string> {
  field: F
  headers: readonly string[]
  /** Default true. */
  required?: boolean
}

export interface HeaderProblem {
  row: number
  column: string
  code: 'import.no_header' | 'import.duplicate_column' | 'import.missing_column'
  message: string
  messageEn: string
}

export type HeaderMatch<F extends string> =
  | {
      ok: true
      /** Index of the header in the records; its spreadsheet row is headerIndex + 1. */
      headerIndex: number
      header: string[]
      fieldColumn: Map<F, number>
      ignoredColumns: string[]
    }
  | { ok: false; errors: HeaderProblem[] }

export function normaliseHeader(h: string): string {
  return h.normalize('NFKC').replace(/[\s*\uFEFF]/g, '')
}

/**
 * Find and read the header. `example` is a header line shown when none is found.
 * Example: matchHeader(records, IMPORT_COLUMNS, '姓名,身份证号') → { ok: true, headerIndex: 0, fieldColumn, ignoredColumns }
 */
export function matchHeader<F extends string>(records: readonly string[][], columns: ReadonlyArray<HeaderColumn<F>>, example: string): HeaderMatch<F> {
  const byHeader = new Map(columns.flatMap((c) => c.headers.map((h) => [normaliseHeader(h), c] as const)))
  const columnFor = (h: string) => byHeader.get(normaliseHeader(h))
  const headerIndex = records.slice(0, HEADER_SEARCH_ROWS).findIndex((r) => r.filter((h) => columnFor(h)).length >= 2)
  if (headerIndex === -1) {
    return {
      ok: false,
      errors: [
        {
          row: 0,
          column: '',
          code: 'import.no_header',
          message: `前${HEADER_SEARCH_ROWS}行中找不到表头（如“${example}”）`,
          messageEn: `No header row (such as ${example}) in the first ${HEADER_SEARCH_ROWS} rows`,
        },
      ],
    }
  }
  const header = records[headerIndex]!
  const headerRow = headerIndex + 1
  const errors: HeaderProblem[] = []
  const fieldColumn = new Map<F, number>()
  const ignoredColumns: string[] = []
  header.forEach((h, index) => {
    const column = columnFor(h)
    if (!column) {
      if (h.trim() !== '') ignoredColumns.push(h.trim())
      return
    }
    const earlier = fieldColumn.get(column.field)
    if (earlier !== undefined) {
      errors.push({
        row: headerRow,
        column: h.trim(),
        code: 'import.duplicate_column',
        message: `“${h.trim()}”与“${header[earlier]!.trim()}”是同一列，只能保留一个`,
        messageEn: `"${h.trim()}" and "${header[earlier]!.trim()}" are the same column; keep only one`,
      })
      return
    }
    fieldColumn.set(column.field, index)
  })
  for (const column of columns) {
    if (column.required !== false && !fieldColumn.has(column.field)) {
      errors.push({
        row: headerRow,
        column: column.headers[0]!,
        code: 'import.missing_column',
        message: `缺少必填列“${column.headers[0]}”`,
        messageEn: `The required column "${column.headers[0]}" is missing`,
      })
    }
  }
  if (errors.length > 0) return { ok: false, errors }
  return { ok: true, headerIndex, header, fieldColumn, ignoredColumns }
}
