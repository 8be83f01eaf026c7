import type { OpenAPIHono } from '@hono/zod-openapi'
import { etag } from 'hono/etag'
import { createHash } from 'node:crypto'
import type { AppEnv } from './_context.ts'
import { errorBody } from './_errors.ts'
import { fail } from './_route.ts'
import { type Bundles, fullClosure, kioskBundles, kioskWorker, staticClosure } from './page-bundles.ts'
import { sessionToken } from './session.ts'

/**
 * The browser apps: pages built from one template (pageHtml) around kiosk/pages/<file>.html, which holds only
 * the page's own <main>; minified bundles of kiosk/src/<name>.ts at content-hashed names
 * (/assets/<name>-<hash>.js and shared chunks, page-bundles.ts, cached for good), kiosk/styles/app.css and
 * kiosk/assets/*. A page that needs a login asks GET /api/session from its script, and every API call is
 * checked by the server anyway.
 */
export interface PageSpec {
  /** kiosk/pages/<file>.html (the body) and kiosk/src/<file>.ts (its script, /assets/<file>-<hash>.js). */
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
  '/admin/kiosks': page('admin-kiosks', '考场门口平板', 'Door tablets'),
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
  '/supervisor/live': page('supervisor-live', '考场实况', 'Rooms live'),
  '/kiosk': page('kiosk', '考场门口核验', 'Room door'),
  '/certificates': page('certificates', '职业技能等级证书', 'Certificates'),
  '/verify/:number': page('verify', '证书核验', 'Certificate check'),
  '/statistics': page('statistics', '年度统计', 'Yearly statistics'),
  '/scores': page('scores', '成绩录入与校对', 'Scores'),
  '/results': page('results', '成绩查询', 'Results lookup'),
  '/registrar/results': page('registrar-results', '成绩公示与核查', 'Results publication and reviews'),
}

const BRAND = { zh: '试卷保密管理系统', en: 'Exam Paper Custody' }
const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

/**
 * The one page template: the head (title in both languages, icon, stylesheet, the page's own bundle by its
 * hashed name and the chunks it imports, preloaded: no inline script, as the CSP wants), the top bar the
 * script fills in, then the page's body fragment. `scripts` is the entry's file first, then its static chunks.
 */
export function pageHtml(spec: PageSpec, body: string, scripts: readonly string[]): string {
  const title = `<title data-en="${escapeHtml(`${spec.title.en} · ${BRAND.en}`)}">${escapeHtml(`${spec.title.zh} · ${BRAND.zh}`)}</title>`
  const [entry, ...chunks] = scripts
  if (!entry) throw new Error(`page ${spec.file}: no script`)
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${title}
<link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/app.css">
<script type="module" src="/assets/${escapeHtml(entry)}"></script>
${chunks.map((c) => `<link rel="modulepreload" href="/assets/${escapeHtml(c)}">\n`).join('')}</head>
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
const IMMUTABLE = { 'Cache-Control': 'public, max-age=31536000, immutable' } // hashed names: new bytes, new name
const JS_TYPE = 'text/javascript; charset=utf-8'
/** Not hashed, so revalidated (NO_CACHE): the stylesheet and the icon, which other templates name too. */
const STYLESHEET = '/assets/app.css'
const ICON = '/assets/icon.svg'

/**
 * The kiosk's service worker (kiosk/worker/kiosk-sw.ts): its script's URL, the scope the kiosk registers it
 * for, and the page it keeps offline (decision 011, "Service worker"). A script at the root may control any
 * scope, so no Service-Worker-Allowed header is needed; `/kiosk` (no slash) covers the page /kiosk itself.
 */
export const KIOSK_WORKER = { url: '/kiosk-sw.js', scope: '/kiosk', page: '/kiosk' } as const

/** The page's scripts by served name: its entry first, then every chunk the entry imports statically. */
function pageScripts(bundles: Bundles, spec: PageSpec): string[] {
  const entry = bundles.entries.get(spec.file)
  if (!entry) throw new Error(`no bundle for the page ${spec.file} (kiosk/src/${spec.file}.ts)`)
  return staticClosure(bundles, entry)
}

/** The page as served, or null when its body file does not exist. */
async function renderPage(spec: PageSpec, bundles: Bundles): Promise<string | null> {
  const f = Bun.file(kiosk(`pages/${spec.file}.html`))
  return (await f.exists()) ? pageHtml(spec, await f.text(), pageScripts(bundles, spec)) : null
}

/**
 * What a page needs to show offline besides its HTML: its entry, the chunks it imports statically, the
 * stylesheet and the icon (URLs). Chunks it loads only on demand (the camera's QR decoder) are not in it.
 */
export async function precacheList(spec: PageSpec): Promise<string[]> {
  return [...pageScripts(await kioskBundles(), spec).map((n) => `/assets/${n}`), STYLESHEET, ICON]
}

/**
 * What the kiosk's service worker keeps: the precache list and the chunks the page loads on demand (the camera's QR
 * decoder), so a tablet that never opened the camera online can still scan offline. Not counted in the first screen:
 * the worker fetches them after the page has shown.
 */
export async function offlineList(spec: PageSpec): Promise<string[]> {
  const bundles = await kioskBundles()
  const entry = bundles.entries.get(spec.file)
  if (!entry) throw new Error(`no bundle for the page ${spec.file} (kiosk/src/${spec.file}.ts)`)
  const first = await precacheList(spec)
  const lazy = fullClosure(bundles, entry)
    .map((n) => `/assets/${n}`)
    .filter((u) => !first.includes(u))
  return [...first, ...lazy]
}

/** The bytes served at one of precacheList's URLs. */
async function assetBytes(bundles: Bundles, url: string): Promise<Uint8Array<ArrayBuffer>> {
  if (url === STYLESHEET) return Bun.file(kiosk('styles/app.css')).bytes()
  if (url === ICON) return Bun.file(kiosk('assets/icon.svg')).bytes()
  const name = url.slice('/assets/'.length)
  const asset = bundles.assets.get(name)
  if (asset) return asset
  const js = bundles.files.get(name)
  if (!js) throw new Error(`no built file at ${url}`)
  return new TextEncoder().encode(js.text)
}

export interface FirstScreen {
  /** Sum of the gzip sizes below, in bytes. */
  gzipBytes: number
  files: Array<{ url: string; bytes: number; gzipBytes: number }>
}

/**
 * What a page downloads before its first screen, each file gzipped (as a compressing proxy would send it):
 * the HTML, the stylesheet, the entry and the chunks it imports statically. Lazy chunks are not counted.
 */
export async function firstScreen(path: string): Promise<FirstScreen> {
  const spec = PAGES[path]
  if (!spec) throw new Error(`no page at ${path}`)
  const bundles = await kioskBundles()
  const html = await renderPage(spec, bundles)
  if (html === null) throw new Error(`no kiosk/pages/${spec.file}.html`)
  const parts: Array<[string, Uint8Array<ArrayBuffer>]> = [[path, new TextEncoder().encode(html)]]
  for (const url of [STYLESHEET, ...pageScripts(bundles, spec).map((n) => `/assets/${n}`)]) parts.push([url, await assetBytes(bundles, url)])
  const files = parts.map(([url, b]) => ({ url, bytes: b.byteLength, gzipBytes: Bun.gzipSync(b).byteLength }))
  return { gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0), files }
}

/**
 * The service worker script: the built worker after one line that hands it the page, its precache list, the
 * hashed files it may keep, and a version derived from the bytes of all it precaches, so a deploy that changes
 * any of them changes the script, and the browser installs it and replaces the cache.
 */
async function kioskWorkerScript(): Promise<string | null> {
  const spec = PAGES[KIOSK_WORKER.page]
  if (!spec) return null
  const [bundles, worker] = await Promise.all([kioskBundles(), kioskWorker()])
  const html = await renderPage(spec, bundles)
  if (html === null) return null
  const precache = await offlineList(spec)
  const version = createHash('sha256').update(html)
  for (const url of precache) version.update(`\n${url}\n`).update(await assetBytes(bundles, url))
  const config = {
    version: version.digest('hex').slice(0, 16),
    page: KIOSK_WORKER.page,
    precache: [KIOSK_WORKER.page, ...precache],
    hashed: [...bundles.files.keys(), ...bundles.assets.keys()].map((n) => `/assets/${n}`),
  }
  return `var CUSTODY_SW=${JSON.stringify(config)};\n${worker}`
}

/** Builds the bundles and the worker now, so the first page request does not wait for them (main.ts). */
export function prebuildPages(): Promise<void> {
  return Promise.all([kioskBundles(), kioskWorker()]).then(
    () => undefined,
    (err: unknown) => console.error('[custody] kiosk bundles:', err), // requests retry the build and answer 500 meanwhile
  )
}

export function pageRoutes(app: OpenAPIHono<AppEnv>): void {
  app.get('/', (c) => c.redirect(c.var.services.accounts.authenticate(sessionToken(c)) ? '/home' : '/login', 302))

  app.use('/assets/*', etag())
  for (const [path, spec] of Object.entries(PAGES)) {
    app.get(path, etag(), async (c) => {
      if (!(await Bun.file(kiosk(`pages/${spec.file}.html`)).exists())) return fail(c, 'request.not_found', { path })
      let bundles: Bundles
      try {
        bundles = await kioskBundles()
      } catch (err) {
        console.error('[custody] kiosk bundles:', err)
        return c.json(errorBody('internal'), 500)
      }
      const html = await renderPage(spec, bundles)
      return html === null ? fail(c, 'request.not_found', { path }) : c.html(html, 200, NO_CACHE)
    })
  }

  // The kiosk's service worker: revalidated on every check, so a deploy reaches the tablets at their next load.
  app.get(KIOSK_WORKER.url, etag(), async (c) => {
    let js: string | null
    try {
      js = await kioskWorkerScript()
    } catch (err) {
      console.error('[custody] kiosk service worker:', err)
      return c.json(errorBody('internal'), 500)
    }
    return js === null ? fail(c, 'request.not_found', { path: c.req.path }) : c.body(js, 200, { 'Content-Type': JS_TYPE, ...NO_CACHE })
  })

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
    if (ext === 'js' || ext === 'wasm') {
      let built: Bundles
      try {
        built = await kioskBundles()
      } catch (err) {
        console.error('[custody] kiosk bundles:', err)
        return c.json(errorBody('internal'), 500)
      }
      // Only hashed names are served: an unhashed /assets/<name>.js (before issue 9) is 404 like any unknown file.
      const wasm = ext === 'wasm' ? built.assets.get(name) : undefined
      // application/wasm: what WebAssembly.instantiateStreaming insists on (the camera's QR reader)
      if (wasm) return c.body(wasm, 200, { 'Content-Type': 'application/wasm', ...IMMUTABLE })
      const js = ext === 'js' ? built.files.get(name) : undefined
      return js === undefined ? fail(c, 'request.not_found', { path: c.req.path }) : c.body(js.text, 200, { 'Content-Type': JS_TYPE, ...IMMUTABLE })
    }
    const type = STATIC_TYPES[ext]
    const f = Bun.file(kiosk(`assets/${name}`))
    if (!type || !(await f.exists())) return fail(c, 'request.not_found', { path: c.req.path })
    return c.body(await f.arrayBuffer(), 200, { 'Content-Type': type, ...NO_CACHE })
  })
}
