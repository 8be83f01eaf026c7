import type { OpenAPIHono } from '@hono/zod-openapi'
import { etag } from 'hono/etag'
import { fileURLToPath } from 'node:url'
import type { AppEnv } from './_context.ts'
import { errorBody } from './_errors.ts'
import { fail } from './_route.ts'
import { sessionToken } from './session.ts'

/**
 * The browser apps: pages built from one template (pageHtml) around kiosk/pages/<file>.html, which holds only
 * the page's own <main>; bundles of kiosk/src/<name>.ts at /assets/<name>.js, kiosk/styles/app.css and
 * kiosk/assets/*. A page that needs a login asks GET /api/session from its script, and every API call is
 * checked by the server anyway.
 */
export interface PageSpec {
  /** kiosk/pages/<file>.html (the body) and kiosk/src/<file>.ts (its script, /assets/<file>.js). */
  file: string
  /** The page's name in the window title, before the system's name. */
  title: { zh: string; en: string }
  /** A class on <body> (the login page's centred layout). */
  bodyClass?: string
}

const page = (file: string, zh: string, en: string, bodyClass?: string): PageSpec => ({ file, title: { zh, en }, ...(bodyClass ? { bodyClass } : {}) })

export const PAGES: Readonly<Record<string, PageSpec>> = {
  '/login': page('login', '登录', 'Log in', 'body--login'),
  '/home': page('home', '首页', 'Home'),
  '/admin/users': page('admin-users', '用户管理', 'User accounts'),
  '/admin/keys': page('admin-keys', '密钥管理', 'Keys'),
  '/log': page('log', '审计日志', 'Custody log'),
  '/registrar': page('registrar', '认定批次', 'Batches'),
  '/registrar/batch': page('registrar-batch', '认定批次', 'Batch'),
  '/rooms': page('rooms', '考场与考前准备', 'Rooms and preparation'),
  '/tickets': page('tickets', '准考证', 'Admission tickets'),
  '/custody': page('custody', '试卷保密', 'Paper custody'),
  '/custody/papers/:id': page('custody-paper', '试卷', 'Paper'),
  '/custody/packets/:id': page('custody-packet', '试卷袋', 'Packet'),
  '/custody/disposal': page('custody-disposal', '到期销毁', 'Disposal'),
  '/custody/keys': page('custody-keys', '密钥份额', 'Key shares'),
  '/supervisor': page('supervisor', '保密督导', 'Custody oversight'),
}

const BRAND = { zh: '试卷保密管理系统', en: 'Exam Paper Custody' }
const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

/**
 * The one page template: the head (title in both languages, icon, stylesheet, the page's own bundle: no
 * inline script, as the CSP wants), the top bar the script fills in, then the page's body fragment.
 */
export function pageHtml(spec: PageSpec, body: string): string {
  const title = `<title data-en="${escapeHtml(`${spec.title.en} · ${BRAND.en}`)}">${escapeHtml(`${spec.title.zh} · ${BRAND.zh}`)}</title>`
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${title}
<link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/app.css">
<script type="module" src="/assets/${spec.file}.js"></script>
</head>
<body${spec.bodyClass ? ` class="${escapeHtml(spec.bodyClass)}"` : ''}>
<header class="topbar" id="topbar"></header>
${body}</body>
</html>
`
}

// Paths from this file, so the server works from any working directory.
const kiosk = (rel: string): URL => new URL(`../../kiosk/${rel}`, import.meta.url)
const ASSET_NAME = /^[a-z0-9][a-z0-9_-]*(\.[a-z0-9]+)+$/ // no slashes, no "..": one file in one folder
const STATIC_TYPES: Record<string, string> = { svg: 'image/svg+xml', png: 'image/png', woff2: 'font/woff2' }
const NO_CACHE = { 'Cache-Control': 'no-cache' } // always revalidated (ETag), so a deploy shows at once

let bundles: Promise<Map<string, string>> | null = null

/** Every kiosk/src entry (files not starting with "_") bundled for the browser, built once per process. */
function browserBundles(): Promise<Map<string, string>> {
  bundles ??= buildBundles().catch((err: unknown) => {
    bundles = null // a fixed source file builds on the next request
    throw err
  })
  return bundles
}

async function buildBundles(): Promise<Map<string, string>> {
  const srcDir = fileURLToPath(kiosk('src/'))
  const entrypoints: string[] = []
  for await (const f of new Bun.Glob('*.ts').scan({ cwd: srcDir })) if (!f.startsWith('_')) entrypoints.push(srcDir + f)
  const result = await Bun.build({ entrypoints, target: 'browser', format: 'esm', naming: '[name].[ext]', throw: false })
  if (!result.success) throw new AggregateError(result.logs, `kiosk build failed: ${result.logs.map(String).join('\n')}`)
  const out = new Map<string, string>()
  for (const o of result.outputs) if (o.kind === 'entry-point') out.set(o.path.replace(/^.*[\\/]/, ''), await o.text())
  return out
}

export function pageRoutes(app: OpenAPIHono<AppEnv>): void {
  app.get('/', (c) => c.redirect(c.var.services.accounts.authenticate(sessionToken(c)) ? '/home' : '/login', 302))

  app.use('/assets/*', etag())
  for (const [path, spec] of Object.entries(PAGES)) {
    app.get(path, etag(), async (c) => {
      const f = Bun.file(kiosk(`pages/${spec.file}.html`))
      if (!(await f.exists())) return fail(c, 'request.not_found', { path })
      return c.html(pageHtml(spec, await f.text()), 200, NO_CACHE)
    })
  }

  // Browsers ask for /favicon.ico on every page (labels and reports too): answer with the app icon.
  app.get('/favicon.ico', async (c) =>
    c.body(await Bun.file(kiosk('assets/icon.svg')).arrayBuffer(), 200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'max-age=86400' }),
  )

  app.get('/assets/:file', async (c) => {
    const name = c.req.param('file')
    if (!ASSET_NAME.test(name)) return fail(c, 'request.not_found', { path: c.req.path })
    const ext = name.slice(name.lastIndexOf('.') + 1)
    if (name === 'app.css') {
      return c.body(await Bun.file(kiosk('styles/app.css')).text(), 200, { 'Content-Type': 'text/css; charset=utf-8', ...NO_CACHE })
    }
    if (ext === 'js') {
      let built: Map<string, string>
      try {
        built = await browserBundles()
      } catch (err) {
        console.error('[custody] kiosk bundles:', err)
        return c.json(errorBody('internal'), 500)
      }
      const js = built.get(name)
      return js === undefined
        ? fail(c, 'request.not_found', { path: c.req.path })
        : c.body(js, 200, { 'Content-Type': 'text/javascript; charset=utf-8', ...NO_CACHE })
    }
    const type = STATIC_TYPES[ext]
    const f = Bun.file(kiosk(`assets/${name}`))
    if (!type || !(await f.exists())) return fail(c, 'request.not_found', { path: c.req.path })
    return c.body(await f.arrayBuffer(), 200, { 'Content-Type': type, ...NO_CACHE })
  })
}
