/**
 * The dev loop. `npm run serve -- --dev` serves the renderer from Vite's dev server (sources, hot
 * reload client) and passes the lab's WebSocket through to serve mode with its checks intact.
 * `npm run dev` runs electron-vite's dev server and starts Electron on it with --dev. The Electron
 * binary cannot be downloaded on these machines, so a stand-in executable (given the way a real
 * one is: ELECTRON_OVERRIDE_DIST_PATH) reports how it was started and what the dev server served;
 * the main process it would run is the one electron-vite built, checked to load that server.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { tempDir } from '../../support/temp'

const root = path.resolve(__dirname, '../../..')
const t = tempDir('dev-loop')
const children: ChildProcess[] = []
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM')
  t.cleanup()
})

function startServeDev(): Promise<{ url: URL; output: () => string }> {
  const child = spawn(process.execPath, ['scripts/serve.mjs', '--dev', '--data-dir', path.join(t.dir, 'lab')], {
    cwd: root,
    env: { ...process.env, ADVLAB_BACKEND: 'wasm' }
  })
  children.push(child)
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve --dev printed no address in 120 s:\n${output}`)), 120_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = output.match(/serving on (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/)
      if (match) {
        clearTimeout(timer)
        resolve({ url: new URL(match[1]), output: () => output })
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', (code) => reject(new Error(`serve --dev exited with ${code}:\n${output}`)))
  })
}

/** Opens the lab's WebSocket through the dev server; resolves with the answer to status.get or the refusal. */
function askStatus(url: URL, origin: string, token: string | null): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://${url.host}/api${token ? `?token=${token}` : ''}`, { headers: { Origin: origin } })
    ws.on('open', () => ws.send(JSON.stringify({ id: 1, method: 'status.get', params: {} })))
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { id?: number; ok?: boolean; result?: { app: { name: string } } }
      if (frame.id !== 1) return
      ws.close()
      resolve(frame.ok ? `answered by ${frame.result!.app.name}` : `error ${JSON.stringify(frame)}`)
    })
    ws.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`))
    ws.on('error', (error) => resolve(`error ${error.message}`))
  })
}

describe('npm run serve -- --dev', () => {
  it('serves the renderer from its sources with the hot-reload client, and the lab behind the same checks', async () => {
    const { url } = await startServeDev()
    const page = await (await fetch(url)).text()
    expect(page).toContain('<script type="module" src="/@vite/client"></script>')
    expect(page).toContain('src="/src/main.ts"')
    const vue = await (await fetch(new URL('/src/App.vue', url))).text()
    expect(vue).toContain('import.meta.hot.accept')
    const token = url.searchParams.get('token')!
    expect(await askStatus(url, url.origin, token)).toBe('answered by AdvLab')
    expect(await askStatus(url, url.origin, null)).toBe('refused 401')
    expect(await askStatus(url, 'http://evil.example', token)).toBe('refused 403')
  })
})

describe('npm run dev', () => {
  it("starts electron-vite's renderer dev server and Electron on it with --dev", async () => {
    const dist = path.join(t.dir, 'electron-dist')
    fs.mkdirSync(dist)
    const report = path.join(t.dir, 'electron-report.json')
    fs.writeFileSync(
      path.join(dist, 'electron'),
      [
        '#!/usr/bin/env node',
        'const url = process.env.ELECTRON_RENDERER_URL',
        'const report = { argv: process.argv.slice(2), url }',
        "fetch(url + '/').then((r) => r.text()).then((page) => (report.page = page), (e) => (report.error = String(e)))",
        '  .finally(() => { require("node:fs").writeFileSync(process.env.REPORT, JSON.stringify(report)); process.exit(0) })'
      ].join('\n'),
      { mode: 0o755 }
    )
    const child = spawn(process.execPath, ['scripts/start.mjs', '--dev'], {
      cwd: root,
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: dist, REPORT: report }
    })
    children.push(child)
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    expect(code, output).toBe(0)
    const seen = JSON.parse(fs.readFileSync(report, 'utf8')) as { argv: string[]; url: string; page?: string }
    expect(seen.argv).toEqual(['.', '--dev'])
    expect(seen.url).toMatch(/^http:\/\/localhost:\d+$/)
    expect(seen.page).toContain('<script type="module" src="/@vite/client"></script>')
    // The main process electron-vite built for this run opens the dev server's address.
    expect(fs.readFileSync(path.join(root, 'out/main/index.js'), 'utf8')).toContain('ELECTRON_RENDERER_URL')
  })
})
