/**
 * Starts the real serve mode (`scripts/serve.mjs`, the real lab service and engine) as a child
 * process on a temporary data directory, and hands the printed URL to the test.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export interface ServeProcess {
  url: string
  origin: string
  dataDir: string
  child: ChildProcess
  stop(signal?: NodeJS.Signals): Promise<void>
}

export function tempDataDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `advlab-e2e-${label}-`))
}

export async function startServe(dataDir: string, extraArgs: string[] = []): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['scripts/serve.mjs', '--data-dir', dataDir, ...extraArgs], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not print its URL in 60 s:\n${output}`)), 60_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = output.match(/serving on (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/)
      if (match) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`serve exited with ${code} before printing its URL:\n${output}`))
    })
  })
  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    child,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill(signal)
      })
  }
}

/** Saves a screenshot where CI keeps test artifacts (test-results/screenshots). */
export function screenshotPath(name: string): string {
  const dir = path.join(root, 'test-results/screenshots')
  fs.mkdirSync(dir, { recursive: true })
  return path.join(dir, `${name}.png`)
}
