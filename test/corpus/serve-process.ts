/**
 * A serve-mode process for the HTTP/WebSocket corpus and the fuzz test: the real server in its own
 * Node process (a crash must show as a dead process, not take the test runner down), a seeded
 * lab, and the checks each case ends with — alive, answering, log intact, row counts unchanged,
 * nothing written outside the data directory.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { ChildProcess } from 'node:child_process'
import Database from 'better-sqlite3'
import WebSocket from 'ws'
import { killed, spawnTs, waitForOutput } from '../support/child'
import { integrityCheck, listTree, tableCounts } from './harness'

export interface ServeProcess {
  child: ChildProcess
  port: number
  token: string
  parent: string
  dataDir: string
  stop(): Promise<void>
}

/** Starts serve mode on a fresh data directory (under a parent we can list) with a built-looking renderer. */
export async function startServeProcess(label: string): Promise<ServeProcess> {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), `advlab-corpus-${label}-`))
  const dataDir = path.join(parent, 'data')
  const rendererDir = path.join(parent, 'renderer')
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true })
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>AdvLab</title>')
  fs.writeFileSync(path.join(rendererDir, 'assets/app.js'), 'console.log(1)')
  // Beside the renderer, as a file a traversal would try to reach.
  fs.writeFileSync(path.join(parent, 'secret.txt'), 'outside the renderer')
  const child = spawnTs('test/support/serve-child.ts', [dataDir, rendererDir])
  const [, url] = await waitForOutput(child, /serving on (http:\S+)/)
  const { port, searchParams } = new URL(url)
  return {
    child,
    port: Number(port),
    token: searchParams.get('token')!,
    parent,
    dataDir,
    async stop() {
      await killed(child, 'SIGTERM')
      fs.rmSync(parent, { recursive: true, force: true })
    }
  }
}

/** One request over a real WebSocket; resolves with the answer frame. */
export async function request(
  p: ServeProcess,
  method: string,
  params: unknown
): Promise<{ ok: boolean; result?: unknown; error?: { code: string } }> {
  const ws = new WebSocket(`ws://127.0.0.1:${p.port}/api?token=${p.token}`)
  ws.on('error', () => {})
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  ws.send(JSON.stringify({ id: 1, method, params }))
  const answer = await new Promise<string>((resolve) => {
    ws.on('message', (raw) => {
      const text = String(raw)
      if (JSON.parse(text).id === 1) resolve(text)
    })
  })
  ws.close()
  return JSON.parse(answer)
}

export interface State {
  counts: Record<string, number>
  outside: string[]
}

/** Row counts of the log (read through a second, read-only connection) and the listing outside data/. */
export function stateOf(p: ServeProcess): State {
  const db = new Database(path.join(p.dataDir, 'advlab.sqlite'), { readonly: true, fileMustExist: true })
  try {
    return { counts: tableCounts(db), outside: listTree(p.parent, [p.dataDir]) }
  } finally {
    db.close()
  }
}

export function integrityOf(p: ServeProcess): string {
  const db = new Database(path.join(p.dataDir, 'advlab.sqlite'), { readonly: true, fileMustExist: true })
  try {
    return integrityCheck(db)
  } finally {
    db.close()
  }
}

/** Alive, and answers a valid page request and a valid lab request. Null when so, else why not. */
export async function healthProblem(p: ServeProcess): Promise<string | null> {
  if (p.child.exitCode !== null || p.child.signalCode !== null)
    return `the serve process exited (${p.child.exitCode ?? p.child.signalCode})`
  try {
    const page = await fetch(`http://127.0.0.1:${p.port}/?token=${p.token}`)
    if (page.status !== 200) return `a valid page request got ${page.status}`
    const answer = await request(p, 'projects.list', {})
    if (!answer.ok) return `a valid lab request failed: ${JSON.stringify(answer)}`
  } catch (error) {
    return `a valid request failed: ${(error as Error).message}`
  }
  return null
}
