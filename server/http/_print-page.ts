// The one frame of the server-rendered print pages (tickets, badges, packet labels, the room record, the door drill
// sheet): hono/html escapes every value; no script and no inline style (the CSP forbids both), each page's look is
// its own stylesheet.
import { html } from 'hono/html'

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
