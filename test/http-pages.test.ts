// The browser apps as the server hands them out (server/http/pages.ts): where / leads, pages that obey the
// strict CSP, bilingual static text, bundles that carry no server code, and caching by ETag.
import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { PAGES } from '../server/http/pages.ts'
import { makeTestApp } from './_app.ts'

const app = makeTestApp()
const get = (path: string, headers: Record<string, string> = {}) => app.app.request(`http://localhost${path}`, { headers })
const html = (file: string): string => readFileSync(new URL(`../kiosk/pages/${file}.html`, import.meta.url), 'utf8')
const CJK = /[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]/

describe('pages and assets', () => {
  test('/ leads a visitor to /login and a logged-in user to /home', async () => {
    expect((await get('/')).headers.get('location')).toBe('/login')
    const { cookie } = await app.userWith(['registrar'])
    const res = await get('/', { Cookie: cookie })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/home')
    expect((await get('/', { Cookie: 'custody_session=forged' })).headers.get('location')).toBe('/login')
  })

  test('every page is served as HTML under the strict CSP, uncached without revalidation', async () => {
    for (const [path] of Object.entries(PAGES)) {
      const res = await get(path)
      expect(res.status, path).toBe(200)
      expect(res.headers.get('content-type'), path).toMatch(/^text\/html/)
      expect(res.headers.get('cache-control'), path).toBe('no-cache')
      expect(res.headers.get('content-security-policy'), path).toMatch(/script-src 'self'/)
      expect(res.headers.get('content-security-policy'), path).toMatch(/style-src 'self'/)
    }
  })

  test('pages hold no inline script or style and load nothing from elsewhere; what they load exists', async () => {
    for (const path of Object.keys(PAGES)) {
      const page = await (await get(path)).text()
      expect(page, path).not.toMatch(/<style/i)
      expect(page, path).not.toMatch(/\sstyle=/i)
      expect(page, path).not.toMatch(/\son[a-z]+=/i) // no inline event handlers
      for (const m of page.matchAll(/<script\b([^>]*)>/gi)) expect(m[1], path).toMatch(/\ssrc="\/assets\/[a-z0-9-]+\.js"/)
      const refs = [...page.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((m) => m[1]!)
      expect(
        refs.filter((r) => /^(https?:)?\/\//.test(r)),
        path,
      ).toEqual([])
      for (const ref of refs.filter((r) => r.startsWith('/assets/'))) expect((await get(ref)).status, `${path} → ${ref}`).toBe(200)
    }
  })

  test('every page is its body in the one template: title in both languages, the stylesheet, its own bundle', async () => {
    for (const [path, spec] of Object.entries(PAGES)) {
      const fragment = html(spec.file)
      expect(fragment, spec.file).not.toMatch(/<(!doctype|html|head|title|script|link|meta|body)\b/i) // the head is the template's
      const page = await (await get(path.replace(':id', 'x'))).text()
      expect(page, path).toContain(`<title data-en="${spec.title.en} · Exam Paper Custody">${spec.title.zh} · 试卷保密管理系统</title>`)
      expect(page, path).toContain('<link rel="stylesheet" href="/assets/app.css">')
      expect(
        [...page.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]),
        path,
      ).toEqual([expect.stringMatching(new RegExp(`^<script type="module" src="/assets/${spec.file}-[0-9a-z]+\\.js">$`))]) // content-hashed (pages-bundles.test.ts)
      expect(page, path).toContain('<header class="topbar" id="topbar"></header>')
      expect(page, path).toContain(fragment)
    }
  })

  test('every Chinese text in the static pages has its English beside it (data-en)', async () => {
    for (const path of Object.keys(PAGES)) {
      const page = await (await get(path)).text()
      // Text between tags: the tag just before it must carry data-en (and be a leaf, not mixed content).
      for (const m of page.matchAll(/(<[^>]+>)([^<]*)/g)) {
        const [, tag, text] = m as unknown as [string, string, string]
        if (CJK.test(text)) expect(tag, `${path}: "${text.trim()}"`).toMatch(/^<[a-z][^>]*\sdata-en="[^"]+"/)
      }
      for (const m of page.matchAll(/<[a-z][^>]*>/g)) {
        for (const attr of ['placeholder', 'aria-label', 'title']) {
          const v = new RegExp(`\\s${attr}="([^"]*)"`).exec(m[0])
          if (v && CJK.test(v[1]!)) expect(m[0], `${path}: ${attr}`).toMatch(new RegExp(`\\sdata-en-${attr}="[^"]+"`))
        }
      }
    }
  })

  // A page's scripts as it names them: its entry and the chunks it preloads (hashed names, pages-bundles.test.ts).
  const scriptsOf = async (path: string): Promise<string[]> =>
    [...(await (await get(path)).text()).matchAll(/<(?:script type="module" src|link rel="modulepreload" href)="([^"]+)"/g)].map((m) => m[1]!)

  test('bundles are built from kiosk/src entries and carry no server or Node code', async () => {
    for (const path of ['/login', '/home', '/admin/users', '/log']) {
      for (const src of await scriptsOf(path)) {
        const res = await get(src)
        expect(res.status, src).toBe(200)
        expect(res.headers.get('content-type')).toMatch(/^text\/javascript/)
        const js = await res.text()
        expect(js, src).not.toMatch(/from\s*["'](bun:|node:)|require\(["'](bun:|node:)/)
        expect(js, src).not.toMatch(/bun:sqlite|createHash\(|randomUUID\(/)
      }
    }
    const log = await Promise.all((await scriptsOf('/log')).map(async (src) => (await get(src)).text()))
    expect(log.join('\n')).toContain('custody:lang') // the i18n module is in what the page loads
  })

  test('internal modules, unknown names and path tricks are not served', async () => {
    for (const path of ['/assets/_api.js', '/assets/nope.js', '/assets/..%2F..%2Fpackage.json', '/assets/.env', '/assets/app.css.map', '/assets/icon.exe']) {
      const res = await get(path)
      expect(res.status, path).toBe(404)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('request.not_found')
    }
  })

  test('the stylesheet and icon are served with their types', async () => {
    const css = await get('/assets/app.css')
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8')
    expect(await css.text()).toContain('"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei"')
    expect((await get('/assets/icon.svg')).headers.get('content-type')).toBe('image/svg+xml')
  })

  test('an unchanged asset is revalidated with its ETag (304, no body)', async () => {
    const first = await get('/assets/app.css')
    const tag = first.headers.get('etag')
    expect(tag).toMatch(/^"?[0-9a-f]+"?$|^W\//)
    const again = await get('/assets/app.css', { 'If-None-Match': tag! })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
    const page = await get('/login')
    expect((await get('/login', { 'If-None-Match': page.headers.get('etag')! })).status).toBe(304)
  })

  const kioskSrc = (file: string): string => readFileSync(new URL(`../kiosk/src/${file}`, import.meta.url), 'utf8')
  const kioskFiles = readdirSync(new URL('../kiosk/src/', import.meta.url)).filter((f) => f.endsWith('.ts'))

  test('the kiosk reaches the server through one client: only _client.ts calls fetch and builds an ApiError', () => {
    expect(kioskSrc('_client.ts')).toMatch(/\bfetch\(/)
    for (const file of kioskFiles.filter((f) => f !== '_client.ts')) {
      const src = kioskSrc(file)
      expect(src, file).not.toMatch(/\bfetch\(|XMLHttpRequest/)
      expect(src, file).not.toMatch(/new ApiError\(/)
    }
  })

  test('every page shows its area through showWhenLoaded, never by hand', () => {
    for (const spec of Object.values(PAGES)) {
      if (!html(spec.file).includes('id="loading"')) continue
      const src = kioskSrc(`${spec.file}.ts`)
      expect(src, spec.file).toContain('showWhenLoaded(')
      expect(src, spec.file).not.toMatch(/getElementById\('loading'\)/)
    }
  })
})
