// The kiosk's one typed client for the server's HTTP API. Every call names a route as "METHOD /path/{param}",
// exactly as the server declares it (server/http/**/*.routes.ts); its params, query and body are typed from the
// route's zod schemas (z.input) and its answer from the 200/201 response schema (z.output). The types come from
// the server by `import type` only: nothing of the server, of zod or of Hono is bundled into the browser
// (test/kiosk-client.test.ts builds a page and checks). A refusal is always an ApiError carrying the server's
// code and both messages.
import type { z } from 'zod'
import type * as batches from '../../server/http/batches/batches.routes.ts'
import type * as candidates from '../../server/http/candidates/candidates.routes.ts'
import type * as certificates from '../../server/http/certificates/certificates.routes.ts'
import type * as custodyReports from '../../server/http/custody-reports/custody-reports.routes.ts'
import type * as doorDrill from '../../server/http/door-drill/door-drill.routes.ts'
import type * as keyCeremony from '../../server/http/key-ceremony/key-ceremony.routes.ts'
import type * as kiosk from '../../server/http/kiosk/kiosk.routes.ts'
import type * as kioskDevices from '../../server/http/kiosk-devices/kiosk-devices.routes.ts'
import type * as kioskRoom from '../../server/http/kiosk-room/kiosk-room.routes.ts'
import type * as leaks from '../../server/http/leaks/leaks.routes.ts'
import type * as log from '../../server/http/log/log.routes.ts'
import type * as occupations from '../../server/http/occupations/occupations.routes.ts'
import type * as packets from '../../server/http/packets/packets.routes.ts'
import type * as papers from '../../server/http/papers/papers.routes.ts'
import type * as results from '../../server/http/results/results.routes.ts'
import type * as rooms from '../../server/http/rooms/rooms.routes.ts'
import type * as session from '../../server/http/session.ts'
import type * as statistics from '../../server/http/statistics/statistics.routes.ts'
import type * as scores from '../../server/http/scores/scores.routes.ts'
import type * as ticketKeys from '../../server/http/ticket-keys/ticket-keys.routes.ts'
import type * as tickets from '../../server/http/tickets/tickets.routes.ts'
import type * as users from '../../server/http/users/users.routes.ts'
import type { ErrorCode } from '../../server/http/_errors.ts'
import type { announcementJson, batchJson, candidateJson, occupationJson, sessionJson } from '../../server/http/lifecycle-schemas.ts'
import type { Text } from './_i18n.ts'

// ---------- the route map (types only) ----------

/** What the client needs of a declared route (server/http/_route.ts `route`): method and path as literal types. */
interface AnyRoute {
  method: string
  path: string
  request?: { params?: z.ZodType; query?: z.ZodType; body?: { content: Record<string, { schema: unknown }>; required?: boolean } }
  responses: Record<string | number, unknown>
}

/** The routes a module exports: route objects, and routes made by a function (users.decideRoleChange). */
type RoutesIn<M> = {
  [K in keyof M]: M[K] extends AnyRoute ? M[K] : M[K] extends (...args: never[]) => infer R ? (R extends AnyRoute ? R : never) : never
}[keyof M]

type AllRoutes =
  | RoutesIn<typeof batches>
  | RoutesIn<typeof candidates>
  | RoutesIn<typeof certificates>
  | RoutesIn<typeof custodyReports>
  | RoutesIn<typeof doorDrill>
  | RoutesIn<typeof keyCeremony>
  | RoutesIn<typeof kiosk>
  | RoutesIn<typeof kioskDevices>
  | RoutesIn<typeof kioskRoom>
  | RoutesIn<typeof leaks>
  | RoutesIn<typeof log>
  | RoutesIn<typeof occupations>
  | RoutesIn<typeof packets>
  | RoutesIn<typeof papers>
  | RoutesIn<typeof results>
  | RoutesIn<typeof rooms>
  | RoutesIn<typeof session>
  | RoutesIn<typeof statistics>
  | RoutesIn<typeof scores>
  | RoutesIn<typeof ticketKeys>
  | RoutesIn<typeof tickets>
  | RoutesIn<typeof users>

type KeyOf<R> = R extends { method: infer M extends string; path: infer P extends string } ? `${Uppercase<M>} ${P}` : never

/** Every API route by "METHOD /path/{param}" (e.g. "GET /api/packets/{id}"). */
export type RouteKey = KeyOf<AllRoutes>
/** The declared route (its zod schemas) of a key. */
export type RouteOf<K extends RouteKey> = AllRoutes extends infer R ? (R extends AnyRoute ? (K extends KeyOf<R> ? R : never) : never) : never

// ---------- inputs ----------

type Req<K extends RouteKey> = RouteOf<K> extends { request: infer Q } ? Q : Record<never, never>
/** A value the URL carries: what the schema takes, or any string or number where it coerces (input unknown). */
type UrlValue<T> = unknown extends T ? string | number : T
type UrlValues<S> = S extends z.ZodType ? { [P in keyof z.input<S>]: UrlValue<z.input<S>[P]> } : never
type BodyContent<K extends RouteKey> = Req<K> extends { body: { content: infer C } } ? C : never

/** Path parameters, by the names in the path's braces. */
export type ParamsOf<K extends RouteKey> = Req<K> extends { params: infer S } ? UrlValues<S> : never
export type QueryOf<K extends RouteKey> = Req<K> extends { query: infer S } ? UrlValues<S> : never
/** The JSON body a route takes (z.input of its schema). */
export type JsonOf<K extends RouteKey> = [BodyContent<K>] extends [never]
  ? never
  : BodyContent<K> extends { 'application/json': { schema: infer S extends z.ZodType } }
    ? z.input<S>
    : never
/** The content types of a body that is not JSON (a file, a CSV). */
type RawTypeOf<K extends RouteKey> = [BodyContent<K>] extends [never] ? never : Exclude<keyof BodyContent<K>, 'application/json'> & string

type Part<Name extends string, T, Required extends boolean> = [T] extends [never]
  ? { [P in Name]?: never }
  : Required extends true
    ? { [P in Name]: T }
    : { [P in Name]?: T }
type ParamsPart<K extends RouteKey> = Part<'params', ParamsOf<K>, true>
type QueryPart<K extends RouteKey> = Part<'query', QueryOf<K>, {} extends QueryOf<K> ? false : true>
/** A body is required unless the route says `required: false` (jsonBody widens its `true` to boolean). */
type BodyRequired<K extends RouteKey> = Req<K> extends { body: { required: false } } ? false : true
type JsonPart<K extends RouteKey> = Part<'json', JsonOf<K>, BodyRequired<K>>
type RawPart<K extends RouteKey> = [RawTypeOf<K>] extends [never]
  ? { body?: never; contentType?: never }
  : BodyRequired<K> extends true
    ? { body: Blob | string; contentType: RawTypeOf<K> }
    : { body?: Blob | string; contentType?: RawTypeOf<K> }

/**
 * Signs a request (the door kiosk's device headers, docs/decisions/011-door-kiosk.md): given the method, the path
 * with its query and the exact bytes of the body that is sent (empty when none), the headers to add.
 */
export type Signer = (method: string, pathWithQuery: string, body: Uint8Array) => Promise<Record<string, string>>
/** A route that declares the device headers (Custody-Device, ...) must be signed; no other route takes a signer. */
type SignPart<K extends RouteKey> =
  Req<K> extends { headers: infer H extends z.ZodType } ? ('custody-device' extends keyof z.input<H> ? { sign: Signer } : { sign?: never }) : { sign?: never }

/** What a call gives besides the route: params, query and a JSON body (or a raw body and its type), as the route declares them. */
export type InputOf<K extends RouteKey> = ParamsPart<K> & QueryPart<K> & JsonPart<K> & RawPart<K> & SignPart<K>

// ---------- outputs ----------

/** The responses a route declares by status, without the error table's index signature. */
type Declared<T> = { [S in keyof T as string extends S ? never : number extends S ? never : S]: T[S] }
type Success<K extends RouteKey> =
  Declared<RouteOf<K>['responses']> extends infer D
    ? 200 extends keyof D
      ? D[200]
      : 201 extends keyof D
        ? D[201]
        : 204 extends keyof D
          ? D[204]
          : never
    : never
type BatchJson = ReturnType<typeof batchJson>
type CandidateJson = ReturnType<typeof candidateJson>
type OccupationJson = ReturnType<typeof occupationJson>
type AnnouncementJson = ReturnType<typeof announcementJson>
/**
 * The lifecycle routes declare their answers as open records (lifecycle-schemas.ts `loose`: z.record of unknown),
 * so their schemas say nothing a page could read. Until they get real schemas, their answers are typed here from
 * the functions that make them (batchJson, candidateJson, ...), still from the server and by type only.
 */
interface OpenAnswers {
  'GET /api/batches': { batches: BatchJson[] }
  'POST /api/batches': BatchJson
  'GET /api/batches/{id}': BatchJson
  'PATCH /api/batches/{id}': BatchJson
  'POST /api/batches/{id}/file': BatchJson
  'PUT /api/batches/{id}/venue': BatchJson
  'PATCH /api/sessions/{id}': { session: ReturnType<typeof sessionJson>; batch: BatchJson }
  'POST /api/batches/{id}/announcement': AnnouncementJson
  'GET /api/announcements': { announcements: AnnouncementJson[] }
  'GET /api/announcements/{id}': AnnouncementJson
  'GET /api/occupations': { occupations: OccupationJson[] }
  'GET /api/occupations/{code}': OccupationJson
  'POST /api/occupations': OccupationJson
  'PUT /api/occupations/{code}': OccupationJson
  'GET /api/batches/{id}/candidates': { candidates: CandidateJson[]; total: number; page: number; pageSize: number }
  'POST /api/batches/{id}/candidates': CandidateJson
  'GET /api/candidates/{id}': CandidateJson
  'PUT /api/candidates/{id}/photo': CandidateJson
  'POST /api/candidates/{id}/moves': CandidateJson
  'POST /api/candidates/{id}/payment': CandidateJson
}
/** The routes whose answer OpenAnswers types (test/kiosk-client.test.ts checks each is a route). */
export type OpenAnswerKey = keyof OpenAnswers

/** The answer's body: z.output of the JSON schema, a string for text (a signed note, CSV, HTML), a Blob for a file, nothing for 204. */
export type OutputOf<K extends RouteKey> = K extends OpenAnswerKey
  ? OpenAnswers[K]
  : [Success<K>] extends [never]
    ? never
    : Success<K> extends { content: infer C }
      ? C extends { 'application/json': { schema: infer S extends z.ZodType } }
        ? z.output<S>
        : Extract<keyof C, `text/${string}`> extends never
          ? Blob
          : string
      : undefined

/** Who is logged in (GET /api/session), as every staff page gets it. */
export type SessionUser = NonNullable<OutputOf<'GET /api/session'>['user']>

/**
 * T without the keys K, keeping the rest as declared: unlike Omit, a loose object's (z.looseObject) named fields
 * survive beside its index signature. For a page that reads a part the schema leaves `unknown` by a domain type.
 */
export type Without<T, K extends PropertyKey> = { [P in keyof T as P extends K ? never : P]: T[P] }

/** Keys whose call needs an input argument (params, a required query or body). */
type Call<K extends RouteKey> = {} extends InputOf<K> ? [input?: InputOf<K>] : [input: InputOf<K>]

// ---------- errors ----------

/** Codes the client itself produces when there is no error body to read. */
export type ClientErrorCode = 'network.unreachable' | 'response.unexpected'

/** A refusal or failure, carrying the server's code and both messages (message is zh-CN). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    readonly messageEn: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'ApiError'
  }
  get text(): Text {
    return { zh: this.message, en: this.messageEn }
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; messageEn?: string; details?: unknown }
}

/** The server could not be reached at all. */
export const unreachable = (): ApiError =>
  new ApiError(0, 'network.unreachable', '无法连接服务器，请检查网络后重试', 'Cannot reach the server; check the network and try again')

/** The ApiError a failed response stands for: the server's own code and messages, when it sent them. */
export async function errorOf(res: Response): Promise<ApiError> {
  const isJson = (res.headers.get('content-type') ?? '').includes('json')
  const e = (isJson ? ((await res.json().catch(() => null)) as ErrorBody | null) : null)?.error
  if (e?.code && e.message && e.messageEn) return new ApiError(res.status, e.code as ErrorCode, e.message, e.messageEn, e.details)
  return new ApiError(res.status, 'response.unexpected', `服务器返回了意外的响应（HTTP ${res.status}）`, `Unexpected server response (HTTP ${res.status})`)
}

// ---------- the client ----------

const splitKey = (key: string): [method: string, template: string] => {
  const space = key.indexOf(' ')
  return [key.slice(0, space), key.slice(space + 1)]
}

/** The path with its {params} filled in (each a path segment) and the query ('' values and undefined left out). */
function fill(template: string, params: Record<string, string | number> | undefined, query: Record<string, unknown> | undefined): string {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params?.[name]
    if (v === undefined || v === '') throw new TypeError(`path parameter "${name}" missing for ${template}`)
    return encodeURIComponent(String(v))
  })
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') q.append(k, String(v))
  const qs = q.toString()
  return qs ? `${path}?${qs}` : path
}

/** The URL of a GET route (for a link, an <img>, a download), typed like a call. */
export function url<K extends RouteKey & `GET ${string}`>(key: K, ...[input]: NoInfer<Call<K>>): string {
  const i = (input ?? {}) as { params?: Record<string, string | number>; query?: Record<string, unknown> }
  return fill(splitKey(key)[1], i.params, i.query)
}

/** A same-origin fetch that resolves only to a successful response (the browser adds the Origin the CSRF check wants). */
async function send(path: string, init: RequestInit): Promise<Response> {
  let res: Response
  try {
    res = await fetch(path, { credentials: 'same-origin', ...init })
  } catch {
    throw unreachable()
  }
  if (!res.ok) throw await errorOf(res)
  return res
}

/** The answer's body by its content type: JSON, text (a signed note, CSV), nothing (204), or a file. */
async function bodyOf(res: Response): Promise<unknown> {
  if (res.status === 204) return undefined
  const type = res.headers.get('content-type') ?? ''
  // JSON itself or a +json type; JSON Lines (application/x-ndjson) is a file, not one JSON value.
  if (/^application\/([\w.-]+\+)?json\b/.test(type)) return res.json()
  if (type.startsWith('text/')) return res.text()
  return res.blob()
}

/**
 * One API call, by route: `api('GET /api/packets/{id}', { params: { id } })`. A JSON body goes as `json`; a body
 * that is not JSON (a CSV file) as `body` with its `contentType`. A device-signed route (the door kiosk's) takes
 * `sign`, which gets the exact bytes sent and adds its headers.
 */
export async function api<K extends RouteKey>(key: K, ...[input]: NoInfer<Call<K>>): Promise<OutputOf<K>> {
  const [method, template] = splitKey(key)
  const i = (input ?? {}) as {
    params?: Record<string, string | number>
    query?: Record<string, unknown>
    json?: unknown
    body?: Blob | string
    contentType?: string
    sign?: Signer
  }
  const headers: Record<string, string> = { Accept: 'application/json, text/plain;q=0.9, */*;q=0.8' }
  let body: BodyInit | undefined
  if (i.json !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(i.json)
  } else if (i.body !== undefined) {
    if (i.contentType) headers['Content-Type'] = i.contentType
    body = i.body
  }
  const path = fill(template, i.params, i.query)
  if (i.sign) {
    // The signature covers these very bytes, and these bytes are what is sent.
    const bytes =
      body === undefined ? new Uint8Array() : typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(await (body as Blob).arrayBuffer())
    Object.assign(headers, await i.sign(method, path, bytes))
    if (body !== undefined) body = bytes as Uint8Array<ArrayBuffer>
  }
  const res = await send(path, { method, headers, body })
  return (await bodyOf(res)) as OutputOf<K>
}

/** A route that takes a file as its body (a raw, non-JSON content type), e.g. "PUT /api/papers/{id}/file". */
type UploadKey = { [K in RouteKey]: [RawTypeOf<K>] extends [never] ? never : K }[RouteKey]

/**
 * Sends a file as a route's body, streamed by the browser from disk (never read into a string), reporting
 * progress. XMLHttpRequest rather than fetch: browsers report upload progress only to XHR (fetch has no
 * upload events, and streaming request bodies need HTTP/2). Refusals are ApiErrors as for `api`.
 */
export function upload<K extends UploadKey>(
  key: K,
  input: { params: ParamsOf<K>; body: Blob; contentType: RawTypeOf<K>; headers?: Record<string, string> },
  onProgress: (sent: number, total: number) => void,
): Promise<OutputOf<K>> {
  const [method, template] = splitKey(key)
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open(method, fill(template, input.params as Record<string, string | number>, undefined))
    xhr.setRequestHeader('Content-Type', input.contentType)
    xhr.setRequestHeader('Accept', 'application/json')
    for (const [name, value] of Object.entries(input.headers ?? {})) xhr.setRequestHeader(name, value)
    xhr.upload.addEventListener('progress', (e) => onProgress(e.loaded, e.lengthComputable ? e.total : input.body.size))
    xhr.addEventListener('error', () => reject(unreachable()))
    xhr.addEventListener('load', () => {
      const res = new Response(xhr.status === 204 ? null : (xhr.response as string), {
        status: xhr.status,
        headers: { 'Content-Type': xhr.getResponseHeader('Content-Type') ?? '' },
      })
      if (xhr.status >= 200 && xhr.status < 300) bodyOf(res).then((b) => resolve(b as OutputOf<K>), reject)
      else errorOf(res).then(reject, reject)
    })
    xhr.send(input.body)
  })
}
