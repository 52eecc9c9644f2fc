/**
 * Serve mode in its own process, fed what a stranger or a broken page could send: the process
 * must answer each with an error (or close that one connection) and keep serving everyone else.
 * A separate process because the failures this guards against kill the whole process.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import type { ChildProcess } from 'node:child_process'
import WebSocket from 'ws'
import { killed, spawnTs, waitForOutput } from '../../support/child'
import { tempDir } from '../../support/temp'
import { OPCODE, parseResponse, rawExchange, httpRequest, wsExchange, wsFrame } from './raw'

const { dir, cleanup } = tempDir('survives')
const rendererDir = path.join(dir, 'renderer')
fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true })
fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>AdvLab</title>')
fs.writeFileSync(path.join(rendererDir, 'assets/app.js'), 'console.log(1)')

let child: ChildProcess | null = null
let port = 0
let token = ''

/** A live server before every test: a test that killed it must not take the next one down too. */
beforeEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) return
  child = spawnTs('test/support/serve-child.ts', [path.join(dir, 'data'), rendererDir])
  const [, url] = await waitForOutput(child, /serving on (http:\S+)/)
  port = Number(new URL(url).port)
  token = new URL(url).searchParams.get('token')!
})
afterAll(async () => {
  if (child) await killed(child, 'SIGTERM')
  cleanup()
})

/** The process is alive and still serves the app to a valid request. */
async function stillServing(): Promise<void> {
  await new Promise((r) => setTimeout(r, 100))
  expect(child!.exitCode, 'the serve process exited').toBeNull()
  expect(child!.signalCode).toBeNull()
  const res = await fetch(`http://127.0.0.1:${port}/?token=${token}`)
  expect(res.status).toBe(200)
}

describe('serve mode survives malformed request paths', () => {
  for (const target of ['/%', '/%E0%A4%A', '/index.html%00']) {
    it(`answers ${target} with 400 and keeps serving`, async () => {
      const reply = parseResponse((await rawExchange(port, httpRequest(port, target, { token }))).bytes)
      expect(reply?.status).toBe(400)
      await stillServing()
    })
  }
})

describe('serve mode closes the connection, not the server, on WebSocket protocol errors', () => {
  const cases: [string, () => Buffer[], number][] = [
    ['invalid UTF-8 in a text frame', () => [wsFrame(OPCODE.text, Buffer.from([0xc3, 0x28]))], 1007],
    ['a reserved opcode', () => [wsFrame(0x3, 'x')], 1002],
    ['an unmasked client frame', () => [wsFrame(OPCODE.text, '{}', { mask: false })], 1002],
    ['a frame header claiming 2^40 bytes', () => [wsFrame(OPCODE.binary, Buffer.alloc(0), { declaredLength: 2n ** 40n })], 1009]
  ]
  for (const [name, frames, code] of cases) {
    it(`closes the connection with ${code} on ${name}`, async () => {
      const outcome = await wsExchange(port, token, frames())
      expect(outcome.status).toBe(101)
      expect(outcome.closed).toBe(true)
      expect(outcome.closeCode).toBe(code)
      await stillServing()
    })
  }

  it('closes with 1009 a message over the payload limit sent through the ordinary client API', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${token}`)
    await new Promise((r) => ws.once('open', r))
    ws.on('error', () => {})
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)))
    // Larger than any limit the server has ever had (64 MiB), as a browser page could send it.
    ws.send(Buffer.alloc(64 * 1024 * 1024 + 1, 0x20))
    expect(await closed).toBe(1009)
    await stillServing()
  })
})
