// Where the login page may send a user afterwards: a path on this same origin, never elsewhere. The browser
// is the judge: the value is resolved with `new URL()` against the page's origin exactly as navigation would
// (tabs and newlines dropped, `\` read as `/`, `//host` as another host), and only a same-origin result is kept.

/** The same-origin path, query and fragment `raw` names, or `fallback`: safeNext('//evil', 'https://a') → '/home'. */
export function safeNext(raw: string | null, origin: string, fallback = '/home'): string {
  if (!raw) return fallback
  let url: URL
  try {
    url = new URL(raw, origin)
  } catch {
    return fallback
  }
  if (url.origin !== origin || (url.protocol !== 'http:' && url.protocol !== 'https:')) return fallback
  const path = url.pathname + url.search + url.hash
  // A same-origin URL whose path begins with `//` (`/.//evil`, `/a/..//evil`) is another host once written
  // as a path: the path itself must resolve to this origin too.
  return new URL(path, origin).origin === origin ? path : fallback
}
