/**
 * The built renderer, served by `send` (the static file server behind Express): it decodes and
 * normalises the path, refuses `..` and NUL with 403/400, answers HEAD without a body and streams
 * files with their errors handled. On top of it: the SPA fallback (a path that names no file is a
 * route of the renderer's router, so it gets index.html), our headers on every answer, and our
 * own content types (text/javascript, as browsers and the CSP expect).
 */
import path from 'node:path'
import send from 'send'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { plain } from './headers'
import { CONTENT_TYPES } from './content-types'

const ERRORS: Record<number, string> = {
  400: 'Bad request: the path could not be read.',
  403: "Forbidden: that path leaves the app's folder.",
  404: 'Not found: the renderer is not built here (run "npm run build").'
}

/**
 * Serves `pathname` (still percent-encoded) from `root`; `headers` go on every answer.
 * Unknown paths fall back to index.html: the renderer's router owns them.
 */
export function serveStatic(
  root: string,
  pathname: string,
  req: IncomingMessage,
  res: ServerResponse,
  headers: Record<string, string>
): void {
  // No ETags, dates or ranges are offered (the files are small and never cached), so conditional
  // and partial requests are answered whole instead of with 412/416.
  for (const name of ['range', 'if-range', 'if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since'])
    delete req.headers[name]
  sendOne(root, pathname, req, res, headers, true)
}

function sendOne(
  root: string,
  pathname: string,
  req: IncomingMessage,
  res: ServerResponse,
  headers: Record<string, string>,
  fallback: boolean
): void {
  const fallBack = () => (fallback ? sendOne(root, '/index.html', req, res, headers, false) : plain(req, res, 404, ERRORS[404], headers))
  const stream = send(req, pathname === '/' ? '/index.html' : pathname, {
    root,
    index: false,
    dotfiles: 'ignore',
    etag: false,
    lastModified: false,
    cacheControl: false,
    acceptRanges: false
  })
  stream.on('headers', (response: ServerResponse, file: string) => {
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value)
    response.setHeader('Cache-Control', 'no-cache')
    response.setHeader('Content-Type', CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream')
  })
  // A folder is no file of the app: the router's, like any other unknown path.
  stream.on('directory', fallBack)
  stream.on('error', (error: { status?: number; statusCode?: number }) => {
    const status = error.status ?? error.statusCode ?? 500
    if (status === 404 && !res.headersSent) return fallBack()
    plain(req, res, status, ERRORS[status] ?? 'The file could not be read.', headers)
  })
  stream.pipe(res)
}
