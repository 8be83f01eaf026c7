/**
 * A tiny, valid PDF 1.4 (ISO 32000-1): A4 pages of text in the standard Helvetica fonts, which every
 * reader has, so no font is embedded. ASCII only (other characters print as '?'): enough for demo papers.
 * The cross-reference table is computed from the real byte offsets (§7.5.4: 20-byte entries).
 */
const PAGE = { width: 595, height: 842, margin: 56 } // A4 in points
const TITLE_SIZE = 16
const BODY_SIZE = 11
const LEADING = 16
const LINES_PER_PAGE = Math.floor((PAGE.height - 2 * PAGE.margin - 2 * LEADING) / LEADING)

/** A PDF string literal (§7.3.4.2): backslash, parentheses escaped; non-ASCII replaced. */
function pdfString(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, '?')
  return `(${ascii.replace(/[\\()]/g, (c) => `\\${c}`)})`
}

/** makeDemoPdf('Paper A', ['1. ...', '2. ...']) → the bytes of a PDF with the title on every page and the lines below it. */
export function makeDemoPdf(title: string, lines: readonly string[]): Uint8Array {
  const pages: string[][] = []
  for (let i = 0; i < Math.max(lines.length, 1); i += LINES_PER_PAGE) pages.push(lines.slice(i, i + LINES_PER_PAGE))

  // Objects: 1 catalog, 2 page tree, 3 bold font, 4 regular font, then per page: the page and its content stream.
  const objects: string[] = []
  const pageIds = pages.map((_, i) => 5 + 2 * i)
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>'
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>'
  objects[4] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>'
  pages.forEach((pageLines, i) => {
    const top = PAGE.height - PAGE.margin
    const ops = [
      'BT',
      `/F1 ${TITLE_SIZE} Tf`,
      `${PAGE.margin} ${top} Td`,
      `${pdfString(title)} Tj`,
      `/F2 ${BODY_SIZE} Tf`,
      `${LEADING} TL`,
      'T*',
      'T*',
      ...pageLines.map((l) => `${pdfString(l)} '`),
      'ET',
      'BT',
      `/F2 8 Tf`,
      `${PAGE.margin} ${PAGE.margin / 2} Td`,
      `${pdfString(`Page ${i + 1} of ${pages.length}`)} Tj`,
      'ET',
    ]
    const stream = ops.join('\n')
    objects[pageIds[i]!] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE.width} ${PAGE.height}] ` +
      `/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${pageIds[i]! + 1} 0 R >>`
    objects[pageIds[i]! + 1] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`
  })

  let out = '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n' // the comment with high bytes marks the file as binary (§7.5.2)
  const offsets: number[] = []
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = out.length // one byte per character: everything is Latin-1
    out += `${id} 0 obj\n${objects[id]}\nendobj\n`
  }
  const xref = out.length
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`
  for (let id = 1; id < objects.length; id++) out += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Uint8Array.from(out, (ch) => ch.charCodeAt(0))
}
