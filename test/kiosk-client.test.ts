// The kiosk's typed client (kiosk/src/_client.ts): its runtime against the real app (path filling, query, bodies
// JSON and raw, answers JSON, text, file and none, refusals as ApiError), its types (checked by `tsc`: a wrong
// body, param or route does not compile), and that a page bundled for the browser carries no zod.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, expectTypeOf, test } from 'vitest'
import {
  ApiError,
  api,
  type InputOf,
  type JsonOf,
  type OpenAnswerKey,
  type OutputOf,
  type ParamsOf,
  type QueryOf,
  type RouteKey,
  type Signer,
  upload,
  url,
} from '../kiosk/src/_client.ts'
import { makeDeviceKey, rawPublicKey, requestHeaders } from '../kiosk/src/_kiosk-device.ts'
import type { MOVE_ACTIONS } from '../server/services/custody.ts'
import { ORIGIN, TEST_PASSWORD, type TestApp, makeTestApp } from './_app.ts'
import { ROOT } from './_sources.ts'

/** The browser's side of a same-origin fetch: the app answers, Origin is sent, cookies are kept like a jar. */
function browserFetch(t: TestApp, seen: Array<{ method: string; path: string; headers: Record<string, string>; body: unknown }>) {
  let cookie = ''
  const f = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const path = String(input)
    const headers = { ...(init.headers as Record<string, string>), Origin: ORIGIN, ...(cookie ? { Cookie: cookie } : {}) }
    seen.push({ method: init.method ?? 'GET', path, headers, body: init.body })
    const res = await t.app.request(`${ORIGIN}${path}`, { ...init, headers })
    const set = res.headers.get('set-cookie')
    if (set) cookie = /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(set) ? '' : set.split(';')[0]!
    return res
  }
  return f as typeof fetch
}

describe('kiosk client: runtime against the app', () => {
  let t: TestApp
  const seen: Array<{ method: string; path: string; headers: Record<string, string>; body: unknown }> = []
  const realFetch = globalThis.fetch
  const last = () => seen[seen.length - 1]!

  beforeAll(async () => {
    t = makeTestApp()
    await t.userWith(['admin'], 'client.admin')
    await t.userWith(['registrar'], 'client.registrar')
    globalThis.fetch = browserFetch(t, seen)
  })
  afterAll(() => {
    globalThis.fetch = realFetch
    t.close()
  })

  const login = (username: string) => api('POST /api/session', { json: { username, password: TEST_PASSWORD } })

  test('a JSON body in, a JSON answer out; DELETE answers nothing (204)', async () => {
    const r = await login('client.admin')
    expect(r.user.username).toBe('client.admin')
    expect(last()).toMatchObject({ method: 'POST', path: '/api/session', headers: { 'Content-Type': 'application/json' } })
    expect(JSON.parse(String(last().body))).toEqual({ username: 'client.admin', password: TEST_PASSWORD })
    expect((await api('GET /api/session')).user?.roles).toEqual(['admin'])
    expect(await api('DELETE /api/session')).toBeUndefined()
    expect((await api('GET /api/session')).user).toBeNull()
  })

  test('path parameters are filled in as path segments (encoded); a missing one throws before any request', async () => {
    await login('client.admin')
    const created = await api('POST /api/users', {
      json: { username: 'li.qiang', displayName: '李强', roles: ['registrar'], password: '铁塔 river lantern 1987' },
    })
    const got = await api('GET /api/users/{id}', { params: { id: created.id } })
    expect(got).toMatchObject({ id: created.id, displayName: '李强', roles: ['registrar'] })
    const e = await api('GET /api/users/{id}', { params: { id: 'no/such user' } }).catch((x: unknown) => x)
    expect(last().path).toBe('/api/users/no%2Fsuch%20user')
    expect(e).toBeInstanceOf(ApiError)
    expect(e).toMatchObject({ status: 404, code: 'user.not_found' })
    const count = seen.length
    const untyped = api as (key: string, input?: unknown) => Promise<unknown>
    await expect(untyped('GET /api/users/{id}', { params: {} })).rejects.toThrow('path parameter "id" missing')
    expect(seen.length).toBe(count)
  })

  test('the query leaves out undefined and empty values; numbers are written as text', async () => {
    await login('client.admin')
    const r = await api('GET /api/packets', { query: { paperId: undefined, sessionId: '', state: 'sealed' } })
    expect(last().path).toBe('/api/packets?state=sealed')
    expect(r.packets).toEqual([])
    const entries = await api('GET /api/log/entries', { query: { start: 0, end: 2 } })
    expect(last().path).toBe('/api/log/entries?start=0&end=2')
    expect(entries.entries.map((e) => e.index)).toEqual([0, 1])
  })

  test('a refusal is an ApiError with the server code and both messages', async () => {
    await login('client.registrar')
    const e = (await api('GET /api/users').catch((x: unknown) => x)) as ApiError
    expect(e).toBeInstanceOf(ApiError)
    expect(e.status).toBe(403)
    expect(e.code).toBe('auth.forbidden')
    expect(e.message).toMatch(/[\u4e00-\u9fff]/)
    expect(e.messageEn).toMatch(/[a-z]/)
    expect(e.text).toEqual({ zh: e.message, en: e.messageEn })
  })

  test('a body that is not JSON goes as it is, with its content type (the CSV import)', async () => {
    await login('client.registrar')
    const e = await api('POST /api/batches/{id}/candidates/import', { params: { id: 'nope' }, body: 'name,id\n', contentType: 'text/csv' }).catch(
      (x: unknown) => x,
    )
    expect(last()).toMatchObject({ method: 'POST', path: '/api/batches/nope/candidates/import', headers: { 'Content-Type': 'text/csv' }, body: 'name,id\n' })
    // Past the JSON-only gate (that would be 415): the handler looked for the batch.
    expect(e).toMatchObject({ status: 404, code: 'batch.not_found' })
  })

  test('a text answer is a string (the signed checkpoint); a file is a Blob (the JSON Lines export)', async () => {
    await login('client.admin')
    const note = await api('GET /api/log/checkpoint')
    expect(typeof note).toBe('string')
    expect(note.split('\n')[0]).toBe('custody.test/log')
    const exported = await api('GET /api/log/export')
    expect(exported).toBeInstanceOf(Blob)
    const lines = (await exported.text()).trim().split('\n')
    expect(lines.length).toBeGreaterThan(1)
    expect(JSON.parse(lines[0]!)).toHaveProperty('index', 0)
  })

  test('no server, or an answer without an error body: client codes, both messages', async () => {
    globalThis.fetch = (() => Promise.reject(new TypeError('Failed to fetch'))) as unknown as typeof fetch
    await expect(api('GET /api/session')).rejects.toMatchObject({ status: 0, code: 'network.unreachable', messageEn: expect.stringMatching(/reach/) })
    globalThis.fetch = (() =>
      Promise.resolve(new Response('<h1>Bad gateway</h1>', { status: 502, headers: { 'Content-Type': 'text/html' } }))) as unknown as typeof fetch
    await expect(api('GET /api/session')).rejects.toMatchObject({ status: 502, code: 'response.unexpected', messageEn: expect.stringMatching(/HTTP 502/) })
    globalThis.fetch = browserFetch(t, seen)
  })

  test('a device-signed call: the signer gets the method, the path with its query and the very bytes sent; the server checks them', async () => {
    await login('client.admin')
    const site = t.services.rooms.createSite({ system: 'test' }, { name: '重庆工业职业技术学院考点', address: '重庆市渝北区' })
    if (!site.ok) throw new Error(site.error.code)
    const { code } = await api('POST /api/kiosk/enrolments', { json: { siteId: site.value.id, label: '101 门口' } })
    const pair = await makeDeviceKey()
    const { deviceId } = await api('POST /api/kiosk/devices', { json: { code, publicKey: await rawPublicKey(pair), label: '' } })
    await t.userWith(['invigilator'], 'client.door')
    await t.userWith(['invigilator'], 'client.second')
    await login('client.door')

    const signed: Array<{ method: string; path: string; body: Uint8Array }> = []
    const device = { deviceId, privateKey: pair.privateKey }
    const sign: Signer = (method, path, body) => {
      signed.push({ method, path, body })
      return requestHeaders(device, method, path, new TextDecoder().decode(body), t.clock.now)
    }

    // A JSON body: signed over the bytes that went out (the UTF-8 of the JSON text), the device headers added.
    const json = { username: 'client.second', password: TEST_PASSWORD, purpose: 'packet_open' } as const
    const ok = await api('POST /api/kiosk/confirmations', { json, sign })
    expect(ok).toMatchObject({ displayName: expect.any(String), token: expect.any(String) })
    expect(signed.at(-1)).toMatchObject({ method: 'POST', path: '/api/kiosk/confirmations' })
    expect(last().body).toBe(signed.at(-1)!.body)
    expect(JSON.parse(new TextDecoder().decode(signed.at(-1)!.body))).toEqual(json)
    expect(last().headers).toMatchObject({ 'Content-Type': 'application/json', 'Custody-Device': deviceId, 'Custody-Device-Time': String(t.clock.now) })

    // No body: the signer gets empty bytes and the path with its query as sent; the device check passes (the
    // refusal is the package's own: this invigilator is not assigned there).
    const e = await api('GET /api/kiosk/package', { query: { session: 's 1', room: 'r/1' }, sign }).catch((x: unknown) => x)
    expect(signed.at(-1)).toEqual({ method: 'GET', path: '/api/kiosk/package?session=s+1&room=r%2F1', body: new Uint8Array() })
    expect(last()).toMatchObject({ path: '/api/kiosk/package?session=s+1&room=r%2F1', body: undefined })
    expect(e).toBeInstanceOf(ApiError)
    expect(e).toMatchObject({ status: 403, code: 'scope.not_assigned' })

    // A signature over other bytes than those sent is refused by the server.
    const lying: Signer = (method, path) => requestHeaders(device, method, path, '{}', t.clock.now)
    await expect(api('POST /api/kiosk/confirmations', { json, sign: lying })).rejects.toMatchObject({ status: 401, code: 'kiosk.signature_invalid' })
  })

  test('url() builds the link of a GET route the same way', () => {
    expect(url('GET /api/candidates/{id}/photo', { params: { id: 'a b/c' } })).toBe('/api/candidates/a%20b%2Fc/photo')
    expect(url('GET /api/trace/copies/{copyNumber}', { params: { copyNumber: 12 }, query: { paperId: 'p1' } })).toBe('/api/trace/copies/12?paperId=p1')
    expect(url('GET /api/log/export')).toBe('/api/log/export')
  })
})

describe('kiosk client: types come from the route declarations', () => {
  test('keys are "METHOD /path/{param}" of the declared routes', () => {
    expectTypeOf<'GET /api/packets/{id}'>().toExtend<RouteKey>()
    expectTypeOf<'POST /api/role-changes/{id}/confirm'>().toExtend<RouteKey>()
    expectTypeOf<'DELETE /api/session'>().toExtend<RouteKey>()
    // Every route module is in the map, the session's too (server/http/session.ts).
    expectTypeOf<'GET /api/kiosk/devices'>().toExtend<RouteKey>()
    expectTypeOf<'POST /api/kiosk/sync'>().toExtend<RouteKey>()
    expectTypeOf<'GET /api/keys/tickets'>().toExtend<RouteKey>()
    expectTypeOf<'GET /api/kiosk/drill/print'>().toExtend<RouteKey>()
    expectTypeOf<'PUT /api/session/password'>().toExtend<RouteKey>()
    expectTypeOf<'GET /api/packets/:id'>().not.toExtend<RouteKey>()
    expectTypeOf<'PATCH /api/packets/{id}'>().not.toExtend<RouteKey>()
  })

  test('every route module (server/http/**/*.routes.ts) and the session routes are in the route map', () => {
    const client = readFileSync(join(ROOT, 'kiosk/src/_client.ts'), 'utf8')
    const modules = readdirSync(join(ROOT, 'server/http'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.routes.ts'))
    expect(modules.length).toBeGreaterThan(10)
    for (const m of [...modules, 'session.ts']) {
      const name = new RegExp(`import type \\* as (\\w+) from '\\.\\./\\.\\./server/http/${m.replaceAll('.', '\\.')}'`).exec(client)?.[1]
      expect(name, m).toBeDefined()
      expect(client, m).toContain(`| RoutesIn<typeof ${name}>`)
    }
    expectTypeOf<import('../kiosk/src/_client.ts').SessionUser['roles']>().toEqualTypeOf<Array<import('../server/domain/accounts/index.ts').Role>>()
  })

  test('inputs: z.input of the params, query and body schemas', () => {
    expectTypeOf<ParamsOf<'GET /api/packets/{id}'>>().toEqualTypeOf<{ id: string }>()
    // A coerced number (z.coerce) is taken as a string or a number.
    expectTypeOf<ParamsOf<'GET /api/trace/copies/{copyNumber}'>>().toEqualTypeOf<{ copyNumber: string | number }>()
    expectTypeOf<QueryOf<'GET /api/packets'>['state']>().toEqualTypeOf<import('../server/domain/custody/index.ts').PacketState | undefined>()
    expectTypeOf<JsonOf<'POST /api/packets/{id}/moves'>['action']>().toEqualTypeOf<(typeof MOVE_ACTIONS)[number]>()
    expectTypeOf<InputOf<'GET /api/log/checkpoint'>>().toExtend<{ params?: never; json?: never }>()
  })

  test('outputs: z.output of the 200/201 JSON schema, string for text, Blob for a file, undefined for 204', () => {
    type File = NonNullable<OutputOf<'GET /api/papers/{id}'>['paper']['file']>
    expectTypeOf<File['cipherSha256']>().toEqualTypeOf<string>()
    expectTypeOf<File['plaintextBytes']>().toEqualTypeOf<number>()
    expectTypeOf<OutputOf<'GET /api/packets/{id}'>['packet']['sealNumber']>().toEqualTypeOf<string | null>()
    expectTypeOf<OutputOf<'POST /api/users'>['roles']>().toEqualTypeOf<Array<import('../server/domain/accounts/index.ts').Role>>()
    expectTypeOf<OutputOf<'GET /api/log/checkpoint'>>().toEqualTypeOf<string>()
    expectTypeOf<OutputOf<'POST /api/print-jobs/{id}/decrypt'>>().toEqualTypeOf<Blob>()
    expectTypeOf<OutputOf<'GET /api/log/export'>>().toEqualTypeOf<Blob>()
    expectTypeOf<OutputOf<'DELETE /api/session'>>().toEqualTypeOf<undefined>()
    // What api() resolves to is the route's OutputOf.
    expectTypeOf<Awaited<ReturnType<typeof api<'GET /api/session'>>>>().toEqualTypeOf<OutputOf<'GET /api/session'>>()
    expectTypeOf<OutputOf<'GET /api/session'>['user']>().toEqualTypeOf<import('../kiosk/src/_client.ts').SessionUser | null>()
    // The lifecycle answers (open records in their schemas) are typed from the functions that make them.
    expectTypeOf<Exclude<OpenAnswerKey, RouteKey>>().toBeNever()
    expectTypeOf<OutputOf<'GET /api/batches/{id}'>['status']>().toEqualTypeOf<import('../server/domain/lifecycle/index.ts').Batch['status']>()
  })

  test('a wrong route, param, query or body does not compile (tsc checks these lines; they never run)', () => {
    const neverCalled = async () => {
      // @ts-expect-error no such route
      await api('GET /api/nothing')
      // @ts-expect-error the path is declared with {id}, not :id
      await api('GET /api/packets/:id', { params: { id: 'x' } })
      // @ts-expect-error params are required when the path has them
      await api('GET /api/packets/{id}')
      // @ts-expect-error a param the path does not name
      await api('GET /api/packets/{id}', { params: { packetId: 'x' } })
      // @ts-expect-error an action the moves route does not take
      await api('POST /api/packets/{id}/moves', { params: { id: 'x' }, json: { action: 'open' } })
      // @ts-expect-error a field the strict body schema refuses
      await api('POST /api/handovers/{id}/decline', { params: { id: 'x' }, json: { reason: 'r', extra: 1 } })
      // @ts-expect-error a required body left out
      await api('POST /api/handovers/{id}/decline', { params: { id: 'x' } })
      // @ts-expect-error a query value outside the enum
      await api('GET /api/packets', { query: { state: 'lost' } })
      // @ts-expect-error the CSV import takes text/csv, not JSON
      await api('POST /api/batches/{id}/candidates/import', { params: { id: 'x' }, json: { rows: [] } })
      // @ts-expect-error upload() takes only routes whose body is a file
      await upload('POST /api/packets/{id}/moves', { params: { id: 'x' }, body: new Blob(), contentType: 'application/json' }, () => {})
      // @ts-expect-error a device-signed route (Custody-Device headers declared) needs its signer
      await api('POST /api/kiosk/sync', { json: { records: [] } })
      // @ts-expect-error and no other route takes one
      await api('GET /api/session', { sign: async () => ({}) })
      // @ts-expect-error the answer of a JSON route is not a string
      ;(await api('GET /api/packets/{id}', { params: { id: 'x' } })) satisfies string
      // An upload of the paper file compiles, with its declared content type.
      await upload('PUT /api/papers/{id}/file', { params: { id: 'p' }, body: new Blob(), contentType: 'application/pdf' }, () => {})
    }
    expect(typeof neverCalled).toBe('function')
  })
})

describe('kiosk client: nothing of zod or the server is bundled', () => {
  // Markers of zod's runtime (its error class and internal brand) and of @hono/zod-openapi.
  const ZOD = /ZodError|\$ZodType|_zod\b|openapi\(/
  const build = async (entry: string) => {
    const result = await Bun.build({ entrypoints: [join(ROOT, entry)], target: 'browser', format: 'esm', minify: false, throw: false })
    expect(result.logs.map(String), `build of ${entry}`).toEqual([])
    return (await Promise.all(result.outputs.map((o) => o.text()))).join('\n')
  }

  test('the check sees zod when it is there (a server schema module)', async () => {
    expect(ZOD.test(await build('server/http/_schemas.ts'))).toBe(true)
  })

  test('pages that call the API through the client carry no zod', async () => {
    for (const page of ['kiosk/src/custody-packet.ts', 'kiosk/src/registrar-batch.ts', 'kiosk/src/rooms.ts', 'kiosk/src/kiosk.ts', 'kiosk/src/log.ts']) {
      const js = await build(page)
      // The client is in the bundle (its route keys and its own error text), the server's schemas are not.
      expect(js).toContain('path parameter')
      expect(ZOD.exec(js)?.[0] ?? null, page).toBeNull()
    }
  })
})
