// The browser bundles (server/http/page-bundles.ts, pages.ts): minified, split into shared chunks, named by content
// hash and cached for good; each page names its own entry's hashed file; what a page downloads before its first
// screen stays small (issue 9: under 200 KB gzipped), the camera's QR decoder loading only on demand.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { buildBundles, buildOnce, kioskBundles, staticClosure } from '../server/http/page-bundles.ts'
import { KIOSK_WORKER, PAGES, firstScreen, offlineList, precacheList } from '../server/http/pages.ts'
import { makeTestApp } from './_app.ts'

const app = makeTestApp()
const get = (path: string) => app.app.request(`http://localhost${path}`)
const IMMUTABLE = 'public, max-age=31536000, immutable'
const FIRST_SCREEN_LIMIT = 200 * 1024

/** The scripts a page names: its entry, then the chunks it preloads. */
const scriptsOf = (html: string): string[] => [...html.matchAll(/<(?:script type="module" src|link rel="modulepreload" href)="([^"]+)"/g)].map((m) => m[1]!)

/** A small source folder of its own: two entries sharing a module, one importing another module lazily. */
function sourceFolder(files: Record<string, string>): string {
  const dir = `${mkdtempSync(join(tmpdir(), 'custody-bundles-'))}/src/`
  mkdirSync(dir, { recursive: true })
  for (const [name, text] of Object.entries(files)) writeFileSync(dir + name, text)
  return dir
}
const SOURCES = {
  '_shared.ts': `// A comment that a minified bundle leaves out: the shared module of both entries.\nexport const greet = (name: string): string => 'hello ' + name\n`,
  '_lazy.ts': `/** Loaded only on demand: a long comment that minification drops. */\nexport const big = (): string => 'lazy module text'.repeat(3)\n`,
  'one.ts': `import { greet } from './_shared.ts'\ndocument.title = greet('one')\n`,
  'two.ts': `import { greet } from './_shared.ts'\ndocument.title = greet('two')\nexport async function later(): Promise<string> {\n  const m = await import('./_lazy.ts')\n  return m.big()\n}\n`,
}

describe('building', () => {
  test('entries get content-hashed names; shared code is a chunk; import() makes a lazy chunk', async () => {
    const b = await buildBundles(sourceFolder(SOURCES))
    expect([...b.entries.keys()].sort()).toEqual(['one', 'two'])
    for (const [entry, file] of b.entries) expect(file).toMatch(new RegExp(`^${entry}-[0-9a-z]{6,}\\.js$`))
    const one = b.files.get(b.entries.get('one')!)!
    const two = b.files.get(b.entries.get('two')!)!
    expect(one.imports).toHaveLength(1) // the shared chunk
    expect(two.imports).toContain(one.imports[0])
    expect(one.imports[0]).toMatch(/^chunk-[0-9a-z]{6,}\.js$/)
    expect(two.lazyImports).toHaveLength(1)
    const lazy = b.files.get(two.lazyImports[0]!)!
    expect(lazy.text).toContain('lazy module text')
    expect(staticClosure(b, two.name)).toEqual([two.name, ...two.imports])
    expect(staticClosure(b, two.name)).not.toContain(lazy.name)
    for (const f of b.files.values()) {
      expect(f.text, f.name).not.toMatch(/A comment that|long comment/)
      expect(f.text.trim().split('\n').length, f.name).toBeLessThanOrEqual(3)
    }
  })

  test('names follow content: the same sources give the same names, a changed module changes exactly the files whose bytes changed', async () => {
    const dir = sourceFolder(SOURCES)
    const a = await buildBundles(dir)
    const same = await buildBundles(dir)
    expect([...same.files.keys()].sort()).toEqual([...a.files.keys()].sort())

    writeFileSync(`${dir}_shared.ts`, SOURCES['_shared.ts'].replace("'hello '", "'你好 '"))
    const changed = await buildBundles(dir)
    // The shared chunk changed, and so did both entries, which import it by its name; the lazy chunk did not.
    expect(changed.entries.get('one')).not.toBe(a.entries.get('one'))
    expect(changed.entries.get('two')).not.toBe(a.entries.get('two'))
    expect(changed.files.get(changed.entries.get('one')!)!.imports).not.toEqual(a.files.get(a.entries.get('one')!)!.imports)
    const lazy = a.files.get(a.entries.get('two')!)!.lazyImports[0]!
    expect(changed.files.has(lazy)).toBe(true)
    for (const f of changed.files.values()) {
      const old = a.files.get(f.name)
      if (old) expect(old.text, f.name).toBe(f.text) // a name kept means the bytes kept
    }
    expect(new Set([...changed.files.values()].map((f) => f.text)).size).toBe(changed.files.size)
  })

  test('a broken source rejects with the build messages, and a fixed one builds on the next try', async () => {
    const dir = sourceFolder({ ...SOURCES, 'one.ts': `import { nothing } from './_shared.ts'\nnothing()\n` })
    await expect(buildBundles(dir)).rejects.toThrow(/kiosk build failed: .*nothing/)
    const once = buildOnce(() => buildBundles(dir))
    await expect(once()).rejects.toThrow(/kiosk build failed/)
    writeFileSync(`${dir}one.ts`, SOURCES['one.ts'])
    expect((await once()).entries.has('one')).toBe(true)
    expect(await once()).toBe(await once()) // built once, then kept
  })
})

describe('serving the kiosk/src bundles', () => {
  test('every page names its own hashed entry and chunks, all served and cached for good', async () => {
    for (const [path, spec] of Object.entries(PAGES)) {
      const page = await get(path.replace(':id', 'x'))
      expect(page.status, path).toBe(200)
      const scripts = scriptsOf(await page.text())
      expect(scripts[0], path).toMatch(new RegExp(`^/assets/${spec.file}-[0-9a-z]{6,}\\.js$`))
      for (const src of scripts.slice(1)) expect(src, path).toMatch(/^\/assets\/chunk-[0-9a-z]{6,}\.js$/)
      for (const src of scripts) {
        const res = await get(src)
        expect(res.status, src).toBe(200)
        expect(res.headers.get('cache-control'), src).toBe(IMMUTABLE)
        expect(res.headers.get('content-type'), src).toBe('text/javascript; charset=utf-8')
      }
    }
  })

  test("the camera's WebAssembly QR reader: served under its hashed name as application/wasm, the package's own bytes", async () => {
    const b = await kioskBundles()
    expect([...b.assets.keys()]).toEqual([expect.stringMatching(/^zxing_reader-[a-z0-9]+\.wasm$/)])
    const [name, bytes] = [...b.assets][0]!
    // the very file the barcode-detector package names by its SHA-256 (the version its code was built against)
    const { ZXING_WASM_SHA256 } = await import('barcode-detector/ponyfill')
    expect(new Bun.CryptoHasher('sha256').update(bytes).digest('hex')).toBe(ZXING_WASM_SHA256)
    const res = await get(`/assets/${name}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/wasm')
    expect(res.headers.get('cache-control')).toContain('immutable')
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes)
    // ~1.1 MB as built, under half that gzipped: a tablet fetches it once (the worker keeps it)
    const zipped = await app.app.request(`http://localhost/assets/${name}`, { headers: { 'Accept-Encoding': 'gzip' } })
    expect(zipped.headers.get('content-encoding')).toBe('gzip')
    expect(Bun.gunzipSync(new Uint8Array(await zipped.arrayBuffer()))).toEqual(bytes)
    // named by the camera chunk only, which resolves it next to itself
    const naming = [...b.files.values()].filter((f) => f.assets.includes(name))
    expect(naming).toHaveLength(1)
    expect(naming[0]!.text).toContain(`"./${name}"`)
    expect((await get('/assets/zxing_reader.wasm')).status).toBe(404)
  })

  test('the unhashed names of before are gone (404)', async () => {
    for (const name of ['login', 'home', 'log', 'custody', 'custody-camera']) expect((await get(`/assets/${name}.js`)).status, name).toBe(404)
  })

  test('bundles are minified: no comments of the sources, long lines', async () => {
    const b = await kioskBundles()
    for (const f of b.files.values()) {
      const res = await get(`/assets/${f.name}`)
      const js = await res.text()
      expect(js, f.name).toBe(f.text)
      expect(js, f.name).not.toMatch(/\/\*\*[^!]/) // no JSDoc blocks (a licence keeps /*! … */)
      expect(js, f.name).not.toMatch(/^\s*\/\/ /m) // no line comments
      expect(js.split('\n').length, f.name).toBeLessThan(js.length / 200 + 10)
    }
  })

  test("the camera's QR decoder is a chunk loaded on demand, not part of /custody's first screen", async () => {
    const b = await kioskBundles()
    const closure = staticClosure(b, b.entries.get('custody')!)
    const size = (name: string) => staticClosure(b, name).reduce((n, f) => n + b.files.get(f)!.text.length, 0)
    // _scanner.ts imports the camera module with import(): from the entry, or from a chunk the entry imports.
    const lazy = closure.flatMap((n) => b.files.get(n)!.lazyImports)
    expect(lazy.length).toBeGreaterThan(0)
    for (const n of lazy) expect(closure).not.toContain(n)
    expect(Math.max(...lazy.map(size))).toBeGreaterThan(200_000) // html5-qrcode and its decoder
    const first = await firstScreen('/custody')
    for (const n of lazy) expect(first.files.map((f) => f.url)).not.toContain(`/assets/${n}`)
  })

  test('what every page downloads before its first screen is under 200 KB gzipped', async () => {
    for (const path of Object.keys(PAGES)) {
      const first = await firstScreen(path)
      const page = await (await get(path.replace(':id', 'x'))).text()
      expect(first.files.map((f) => f.url).sort(), path).toEqual([path, '/assets/app.css', ...scriptsOf(page)].sort())
      expect(first.gzipBytes, path).toBe(first.files.reduce((n, f) => n + f.gzipBytes, 0))
      for (const f of first.files) expect(f.gzipBytes, f.url).toBeLessThan(f.bytes + 64)
      expect(first.gzipBytes, `${path}: ${JSON.stringify(first.files)}`).toBeLessThan(FIRST_SCREEN_LIMIT)
    }
  })

  test('the server sends the bundles and the stylesheet gzipped to a browser that accepts it', async () => {
    const page = await (await get('/kiosk')).text()
    for (const url of [...scriptsOf(page), '/assets/app.css']) {
      const res = await app.app.request(`http://localhost${url}`, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } })
      expect(res.headers.get('content-encoding'), url).toBe('gzip')
      const plain = await (await get(url)).text()
      expect(new TextDecoder().decode(Bun.gunzipSync(new Uint8Array(await res.arrayBuffer()))), url).toBe(plain)
    }
  })

  test("a page's precache list: its entry, its static chunks, the stylesheet and the icon, all served", async () => {
    for (const [path, spec] of Object.entries(PAGES)) {
      const list = await precacheList(spec)
      const page = await (await get(path.replace(':id', 'x'))).text()
      expect(list, path).toEqual([...scriptsOf(page), '/assets/app.css', '/assets/icon.svg'])
      for (const url of list) expect((await get(url)).status, url).toBe(200)
    }
  })

  test("the kiosk's service worker script: no-cache, its precache list and version written in", async () => {
    const spec = PAGES[KIOSK_WORKER.page]
    const res = await get(KIOSK_WORKER.url)
    if (!spec) {
      expect(res.status).toBe(404) // no kiosk page in this checkout yet
      return
    }
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-cache')
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    const js = await res.text()
    const config = JSON.parse(/^var CUSTODY_SW=(.*);$/m.exec(js)![1]!) as { version: string; page: string; precache: string[]; hashed: string[] }
    expect(config.page).toBe('/kiosk')
    expect(config.precache).toEqual(['/kiosk', ...(await offlineList(spec))])
    // the worker keeps the camera's decoder too (loaded on demand, so outside the first screen): a tablet can scan
    // offline even if its camera was never opened online
    const first = await precacheList(spec)
    expect(config.precache.slice(1, 1 + first.length)).toEqual(first)
    const lazy = config.precache.slice(1 + first.length)
    expect(lazy.length).toBeGreaterThan(0)
    const sizes = await Promise.all(lazy.map(async (u) => (await (await get(u)).text()).length))
    expect(Math.max(...sizes)).toBeGreaterThan(200_000) // html5-qrcode and its decoder
    expect(config.version).toMatch(/^[0-9a-f]{16}$/)
    const b = await kioskBundles()
    expect(config.hashed.sort()).toEqual([...b.files.keys(), ...b.assets.keys()].map((n) => `/assets/${n}`).sort())
    // the camera's WebAssembly QR reader is kept too (an offline door reads every ticket, not only zxing-js's share)
    const wasm = lazy.filter((u) => u.endsWith('.wasm'))
    expect(wasm).toHaveLength(1)
    expect(wasm[0]).toMatch(/^\/assets\/zxing_reader-[a-z0-9]+\.wasm$/)
    expect((await (await get(KIOSK_WORKER.url)).text()).includes(config.version)).toBe(true) // stable while nothing changes
  })
})
