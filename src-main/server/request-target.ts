/**
 * The request target of an HTTP request or WebSocket upgrade, parsed without throwing: a target
 * `new URL` cannot read (`//`, `http://[`) is a malformed request, answered 400 by the caller.
 */
export interface RequestTarget {
  /** The path as sent (still percent-encoded). */
  pathname: string
  searchParams: URLSearchParams
}

export function parseTarget(raw: string | undefined): RequestTarget | null {
  // Origin-form only ("/path?query"): absolute-form and authority-form are for proxies.
  if (!raw || raw[0] !== '/' || raw.startsWith('//')) return null
  try {
    const url = new URL(raw, 'http://127.0.0.1')
    return { pathname: url.pathname, searchParams: url.searchParams }
  } catch {
    return null
  }
}

/**
 * Why a path cannot name a file of the renderer, in words for the 400 page, or null when it can:
 * it must decode as UTF-8 percent-encoding and carry no NUL or other control character.
 */
export function pathProblem(pathname: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return `the path "${printable(pathname)}" is not valid percent-encoded UTF-8`
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(decoded)) return `the path "${printable(pathname)}" carries a control character (such as %00)`
  return null
}

/** At most 200 characters of what the client sent, safe to echo in a text/plain answer. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean
}
