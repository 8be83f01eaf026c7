import type { OpenAPIHono } from '@hono/zod-openapi'
import { etag } from 'hono/etag'
import { fileURLToPath } from 'node:url'
import type { AppEnv } from './_context.ts'
import { errorBody } from './_errors.ts'
import { fail } from './_route.ts'
import { sessionToken } from './session.ts'

/**
 * The browser apps: static pages from kiosk/pages, bundles of kiosk/src/<name>.ts at /assets/<name>.js,
 * kiosk/styles/app.css and kiosk/assets/*. Pages are plain files; a page that needs a login asks
 * GET /api/session from its script, and every API call is checked by the server anyway.
 */
export const PAGES: Readonly<Record<string, string>> = {
  '/login': 'login',
  '/home': 'home',
  '/admin/users': 'admin-users',
  '/admin/keys': 'admin-keys',
  '/log': 'log',
  '/registrar': 'registrar',
  '/registrar/batch': 'registrar-batch',
  '/rooms': 'rooms',
  '/tickets': 'tickets',
  '/custody': 'custody',
  '/custody/papers/:id': 'custody-paper',
  '/custody/packets/:id': 'custody-packet',
  '/custody/disposal': 'custody-disposal',
  '/custody/keys': 'custody-keys',
  '/supervisor': 'supervisor',
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
  for (const [path, file] of Object.entries(PAGES)) {
    app.get(path, etag(), async (c) => {
      const f = Bun.file(kiosk(`pages/${file}.html`))
      if (!(await f.exists())) return fail(c, 'request.not_found', { path })
      return c.html(await f.text(), 200, NO_CACHE)
    })
  }

  // Browsers ask for /favicon.ico on every page (labels and reports too): answer with the app icon.
  app.get('/favicon.ico', async (c) => c.body(await Bun.file(kiosk('assets/icon.svg')).arrayBuffer(), 200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'max-age=86400' }))

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
