// The one frame of the server-rendered print pages (tickets, badges, packet labels, the room record, the door drill
// sheet): hono/html escapes every value; no script and no inline style (the CSP forbids both), each page's look is
// its own stylesheet.
import type { OpenAPIHono } from '@hono/zod-openapi'
import { html } from 'hono/html'
import type { AppEnv } from './_context.ts'

const styles = (name: string) => Bun.file(new URL(`../../kiosk/styles/${name}`, import.meta.url))

/**
 * Serves an A4 print page's stylesheet at `path`: the shared base (kiosk/styles/print-a4.css: page size, fonts,
 * the sheet and the hint) and then the page's own file in kiosk/styles, so one request carries the whole look.
 */
export function serveA4Stylesheet(app: OpenAPIHono<AppEnv>, path: string, name: string): void {
  app.get(path, async (c) => {
    const [base, own] = await Promise.all([styles('print-a4.css').text(), styles(name).text()])
    return c.body(`${base}\n${own}`, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-cache' })
  })
}

export interface PrintDocument {
  /** The window title. */
  title: string
  /** The page's print stylesheet (a path the server serves). */
  css: string
  bodyClass: string
  /** What to tell the person before they print: paper size and the like, in both languages. */
  hint: { zh: string; en: string }
  body: unknown
}

export async function printDocument(d: PrintDocument): Promise<string> {
  return (
    await html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${d.title}</title>
<link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${d.css}">
</head>
<body class="${d.bodyClass}">
<p class="print-hint">${d.hint.zh}<span lang="en">${d.hint.en}</span></p>
${d.body}
</body>
</html>`
  ).toString()
}
