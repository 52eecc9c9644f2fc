import fs from 'node:fs'
import path from 'node:path'
import type { ServerResponse } from 'node:http'

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm'
}

/** Serves a file of the built renderer; the path can never leave `root`. */
export function serveStatic(root: string, urlPath: string, res: ServerResponse, headers: Record<string, string>): void {
  const relative = decodeURIComponent(urlPath === '/' ? '/index.html' : urlPath)
  const file = path.resolve(root, '.' + relative)
  if (file !== root && !file.startsWith(root + path.sep)) return plain(res, 403, 'Forbidden')
  fs.stat(file, (error, stat) => {
    // Unknown paths fall back to the app shell: the renderer's router owns them.
    const target = !error && stat.isFile() ? file : path.join(root, 'index.html')
    const type = MIME[path.extname(target)] ?? 'application/octet-stream'
    fs.readFile(target, (readError, body) => {
      if (readError) return plain(res, 404, 'Not found')
      res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-cache', ...headers })
      res.end(body)
    })
  })
}

export function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' })
  res.end(text + '\n')
}
