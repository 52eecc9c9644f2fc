/**
 * `npm run serve -- --dev`: the renderer from Vite's dev server (hot reload: an edited .vue or .ts
 * file shows in the open page at once) in front of serve mode's lab service. Vite listens on
 * 127.0.0.1 and passes the lab's WebSocket through to serve mode, which checks it as always: the
 * token (the page's `?token=`), the Host, and the Origin — which must be this dev server's own page
 * to be passed on as serve mode's, so another site's page is still refused.
 */
import type { AddressInfo } from 'node:net'
import type { IncomingMessage } from 'node:http'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { WS_PATH } from '../api/wire'
import { startServer } from './server'

/** The repository: two levels up from src-main/server, and from out/cli-<id> in the build. */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export interface DevServeOptions {
  dataDir: string
  /** Vite's port; 0 picks a free one. */
  port?: number
  token?: string
}

export interface RunningDevServer {
  url: string
  close(): Promise<void>
}

export async function startDevServer(options: DevServeOptions): Promise<RunningDevServer> {
  // The lab service is serve mode's own; it never serves pages here (its renderer folder is the
  // build's, for anyone who opens its port directly).
  const api = await startServer({ dataDir: options.dataDir, rendererDir: path.join(root, 'out/renderer'), port: 0, token: options.token })
  const vite = await import('vite')
  // The desktop build's renderer settings (root, Vue, aliases), so both load the same app.
  const loaded = await vite.loadConfigFromFile(
    { command: 'serve', mode: 'development' },
    path.join(root, 'electron.vite.config.ts'),
    root,
    'warn',
    undefined,
    'runner'
  )
  const renderer = (loaded?.config as { renderer?: import('vite').UserConfig } | undefined)?.renderer
  if (!renderer) throw new Error(`electron.vite.config.ts has no renderer section for the dev server to use.`)
  const apiTarget = `127.0.0.1:${api.port}`
  // Assigned once below; the page-origin check refers to it before it exists.
  // eslint-disable-next-line prefer-const
  let server: import('vite').ViteDevServer
  const ownPage = (req: IncomingMessage) => {
    const port = (server.httpServer?.address() as AddressInfo | null)?.port
    return [`http://127.0.0.1:${port}`, `http://localhost:${port}`].includes(req.headers.origin?.toLowerCase() ?? '')
  }
  server = await vite.createServer({
    ...renderer,
    configFile: false,
    root: path.resolve(root, renderer.root ?? 'src-renderer'),
    clearScreen: false,
    server: {
      host: '127.0.0.1',
      port: options.port || 5173,
      strictPort: Boolean(options.port),
      proxy: {
        [`^${WS_PATH}(\\?|$)`]: {
          target: `ws://${apiTarget}`,
          ws: true,
          // Serve mode answers only requests addressed to it (its Host check).
          changeOrigin: true,
          configure(proxy) {
            proxy.on('proxyReqWs', (proxyReq, req) => {
              if (ownPage(req)) proxyReq.setHeader('origin', `http://${apiTarget}`)
            })
          }
        }
      }
    }
  })
  await server.listen()
  const port = (server.httpServer!.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/?token=${api.token}`,
    async close() {
      await server.close()
      await api.close()
    }
  }
}
