import crypto from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export const TOKEN_COOKIE = 'advlab_token'

export function newToken(): string {
  return crypto.randomBytes(24).toString('base64url')
}

/** The token a request carries: `?token=` in the URL or the cookie set by the first page load. */
export function tokenOf(req: IncomingMessage, query: URLSearchParams): string | null {
  const fromQuery = query.get('token')
  if (fromQuery) return fromQuery
  const cookie = req.headers.cookie ?? ''
  for (const part of cookie.split(';')) {
    const [name, ...value] = part.trim().split('=')
    if (name === TOKEN_COOKIE) return value.join('=')
  }
  return null
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from timings. */
export function tokenMatches(given: string | null, expected: string): boolean {
  if (given === null) return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && crypto.timingSafeEqual(a, b)
}
