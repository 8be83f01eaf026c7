// The kiosk's service worker (decision 011, "Service worker"): served at /kiosk-sw.js and registered for the
// scope /kiosk, it keeps the kiosk page and its files on the tablet so the page opens with no network.
// - install: caches the page and its files (the list the server writes into CUSTODY_SW when it serves this script);
// - the page (/kiosk): network first, the cached copy when the network or the server is down;
// - hashed files (/assets/<name>-<hash>.js): cache first; one fetched on demand (the camera) is kept too;
// - /api/…: never touched: the kiosk keeps its own data in IndexedDB;
// - activate: every older kiosk cache is deleted. A deploy changes the version, so the script and the cache.
// A classic script (built as one IIFE, pages.ts): no imports.
export {}

/** What the server puts before this script (pages.ts kioskWorkerScript). */
declare const CUSTODY_SW: {
  /** Derived from the bytes of everything precached. */
  version: string
  /** The page's path: navigations to it are network first. */
  page: string
  /** The page and the URLs of its files. */
  precache: string[]
  /** Every content-hashed file the server has now: safe to keep for good. */
  hashed: string[]
}

// The worker's own event types (the project's TypeScript lib is the DOM's, not the WebWorker's).
interface WaitEvent extends Event {
  waitUntil(p: Promise<unknown>): void
}
interface FetchEvent extends WaitEvent {
  readonly request: Request
  respondWith(r: Promise<Response>): void
}
interface WorkerScope {
  readonly location: Location
  readonly clients: { claim(): Promise<void> }
  skipWaiting(): Promise<void>
  addEventListener(type: 'install' | 'activate', listener: (e: WaitEvent) => void): void
  addEventListener(type: 'fetch', listener: (e: FetchEvent) => void): void
}
const worker = self as unknown as WorkerScope

const PREFIX = 'custody-kiosk-'
const CACHE = PREFIX + CUSTODY_SW.version
const PRECACHED = new Set(CUSTODY_SW.precache)
const HASHED = new Set(CUSTODY_SW.hashed)

worker.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE)
      // 'reload': past the browser's HTTP cache, so the cache holds what this deploy serves.
      await cache.addAll(CUSTODY_SW.precache.map((url) => new Request(url, { cache: 'reload', credentials: 'same-origin' })))
      await worker.skipWaiting()
    })(),
  )
})

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name)
      await worker.clients.claim()
    })(),
  )
})

/** The network's answer; the cached page when there is none or the server failed (5xx). */
async function networkFirst(request: Request): Promise<Response> {
  try {
    const res = await fetch(request)
    if (res.status < 500) return res
    return (await caches.match(CUSTODY_SW.page, { cacheName: CACHE })) ?? res
  } catch (err) {
    const cached = await caches.match(CUSTODY_SW.page, { cacheName: CACHE })
    if (cached) return cached
    throw err
  }
}

/** The cached copy; otherwise the network's, kept when it is a hashed file that arrived whole. */
async function cacheFirst(request: Request, path: string): Promise<Response> {
  const cache = await caches.open(CACHE)
  const cached = await cache.match(path)
  if (cached) return cached
  const res = await fetch(request)
  if (res.status === 200 && HASHED.has(path)) await cache.put(path, res.clone())
  return res
}

worker.addEventListener('fetch', (event) => {
  const { request } = event
  const url = new URL(request.url)
  if (request.method !== 'GET' || url.origin !== worker.location.origin) return
  if (url.pathname.startsWith('/api/')) return // never cached here: the kiosk's data lives in IndexedDB
  if (request.mode === 'navigate') {
    if (url.pathname === CUSTODY_SW.page) event.respondWith(networkFirst(request))
    return
  }
  if (PRECACHED.has(url.pathname) || HASHED.has(url.pathname)) event.respondWith(cacheFirst(request, url.pathname))
})
