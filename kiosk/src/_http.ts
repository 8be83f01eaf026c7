// The kiosk's one way to the server: its HTTP API, JSON in and out, the session cookie sent along. Every call
// module (_api.ts, _custody-api.ts, _registrar-api.ts, _rooms-api.ts) goes through `request` (or `call` for a
// body that is not JSON), so a refusal is always an ApiError with the server's code and both messages.
// Types come from the server (types only: nothing of the server is bundled into the browser).
import type { ErrorCode } from '../../server/http/_errors.ts'
import type { Text } from './_i18n.ts'

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

/** A same-origin fetch that resolves only to a successful response (the browser adds the Origin the CSRF check wants). */
export async function call(path: string, init: RequestInit = {}): Promise<Response> {
  let res: Response
  try {
    res = await fetch(path, { credentials: 'same-origin', ...init })
  } catch {
    throw unreachable()
  }
  if (!res.ok) throw await errorOf(res)
  return res
}

/**
 * One API call: `body` goes as JSON, or as it is (a file) when `contentType` names another type. The answer is
 * JSON, text (a signed note), or nothing (204).
 */
export async function request<R>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<R> {
  const headers: Record<string, string> = { Accept: 'application/json, text/plain' }
  if (body !== undefined) headers['Content-Type'] = contentType
  const payload = body === undefined ? undefined : contentType === 'application/json' ? JSON.stringify(body) : (body as BodyInit)
  const res = await call(path, { method, headers, body: payload })
  if (res.status === 204) return undefined as R
  return ((res.headers.get('content-type') ?? '').includes('json') ? res.json() : res.text()) as Promise<R>
}

/** A path segment. */
export const seg = encodeURIComponent

/** `?a=1&b=x` from the parameters that have a value ('' when none has). */
export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams(
    Object.entries(params)
      .filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '')
      .map(([k, v]) => [k, String(v)]),
  ).toString()
  return q ? `?${q}` : ''
}
