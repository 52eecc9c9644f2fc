/**
 * Bounded fuzz of serve mode: 1,000 random malformed HTTP requests and WebSocket frame sequences
 * from a seeded generator (the same bytes on every run, so a failure reproduces), sent over
 * loopback to serve mode in its own process. Afterwards it must still be alive and answer a valid
 * request, with its log intact and unchanged and nothing written outside its data directory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import net from 'node:net'
import { OPCODE, wsFrame, wsHandshake } from '../integration/server/raw'
import { healthProblem, integrityOf, request, startServeProcess, stateOf, type ServeProcess, type State } from './serve-process'

const SEED = 0x5eed_14
const CASES = 1000
const CONCURRENCY = 16
/** Per connection: the server normally ends it at once; this only caps a case that hangs. */
const CASE_TIMEOUT_MS = 1500
/** The whole run's budget; far above what it needs (a few seconds on 2 cores). */
const BUDGET_MS = 45_000

/** mulberry32: a small seeded generator, enough for choosing bytes. */
function generator(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)))
  return { next, int, pick, bytes, chance: (p: number) => next() < p }
}
type Gen = ReturnType<typeof generator>

const PATH_PIECES = [
  '',
  'index.html',
  'assets',
  'app.js',
  '..',
  '.',
  '%',
  '%E0%A4%A',
  '%00',
  '%2f',
  '%2e%2e',
  '%5c',
  '%ff',
  '%C0%AF',
  '%0d%0a',
  '//',
  'api',
  '?token=',
  '#',
  ' ',
  '\u00e9',
  '%%',
  '%g0'
]
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'OPTIONS', 'TRACE', 'CONNECT', 'PRI', 'get', 'G\u0000T', 'X'.repeat(40), '']
const VERSIONS = ['HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 ', 'http/1.1', 'HTTP/0.9', 'HTTP/1.', '']
const READ_ONLY_METHODS = ['status.get', 'projects.list', 'datasets.list', 'runs.list', 'nope', '__proto__', 'constructor', '']

/** A request built from plausible and broken parts, then byte-mutated. */
function randomHttp(g: Gen, port: number, token: string): Buffer {
  const target = g.chance(0.9)
    ? '/' + Array.from({ length: g.int(5) }, () => g.pick(PATH_PIECES)).join(g.pick(['/', '', '/']))
    : g.pick(['*', '//', 'http://[', `http://127.0.0.1:${port}/`, ''])
  const headers: string[] = []
  const hostChoice = g.int(6)
  if (hostChoice < 3) headers.push(`Host: 127.0.0.1:${port}`)
  else if (hostChoice === 3) headers.push(`Host: evil.example:${port}`)
  else if (hostChoice === 4) headers.push(`Host: 127.0.0.1:${port}`, 'Host: other')
  if (g.chance(0.7)) headers.push(`Cookie: advlab_token=${g.chance(0.8) ? token : g.bytes(8).toString('latin1')}`)
  if (g.chance(0.2)) headers.push(`Content-Length: ${g.pick(['0', '5', '-1', '99999999999999999999', 'abc', '1, 2'])}`)
  if (g.chance(0.15)) headers.push(`Transfer-Encoding: ${g.pick(['chunked', 'gzip, chunked', 'identity', 'x'])}`)
  if (g.chance(0.2)) headers.push(`Range: bytes=${g.int(100)}-${g.int(100)}`)
  if (g.chance(0.2))
    headers.push(
      'Connection: Upgrade',
      'Upgrade: websocket',
      `Sec-WebSocket-Key: ${g.bytes(g.int(20)).toString('base64')}`,
      `Sec-WebSocket-Version: ${g.pick(['13', '8', 'x'])}`
    )
  if (g.chance(0.3)) headers.push(`${g.bytes(1 + g.int(8)).toString('latin1')}: ${g.bytes(g.int(16)).toString('latin1')}`)
  let text = `${g.pick(METHODS)} ${target} ${g.pick(VERSIONS)}\r\n${headers.join('\r\n')}\r\n\r\n`
  if (g.chance(0.2)) text += g.bytes(g.int(64)).toString('latin1')
  const bytes = Buffer.from(text, 'latin1')
  // Mutations: flipped bytes, a cut, an inserted run of random bytes.
  if (g.chance(0.3)) for (let i = 0; i < 1 + g.int(4); i++) bytes[g.int(bytes.length)] = g.int(256)
  const cut = g.chance(0.2) ? bytes.subarray(0, g.int(bytes.length)) : bytes
  if (!g.chance(0.1)) return cut
  const at = g.int(cut.length)
  return Buffer.concat([cut.subarray(0, at), g.bytes(1 + g.int(32)), cut.subarray(at)])
}

/** One to four frames: random opcodes, flags, masks, lengths that lie, payloads text or not. */
function randomFrames(g: Gen): Buffer[] {
  return Array.from({ length: 1 + g.int(4) }, () => {
    const opcode = g.chance(0.6)
      ? g.pick([OPCODE.text, OPCODE.binary, OPCODE.continuation, OPCODE.close, OPCODE.ping, OPCODE.pong])
      : g.int(16)
    const payload = g.chance(0.5)
      ? Buffer.from(
          JSON.stringify({
            id: g.chance(0.8) ? g.int(1000) : 'x',
            method: g.pick(READ_ONLY_METHODS),
            params: g.chance(0.5) ? {} : g.bytes(4).toString('latin1')
          })
        )
      : g.bytes(g.int(200))
    const lie = g.chance(0.1)
      ? { declaredLength: g.pick([0n, 125n, 126n, 65535n, 65536n, 2n ** 32n, 2n ** 40n, 2n ** 63n, 2n ** 64n - 1n]) }
      : {}
    const frame = wsFrame(opcode, payload, { fin: g.chance(0.85), rsv: g.chance(0.1) ? 1 + g.int(7) : 0, mask: g.chance(0.9), ...lie })
    return g.chance(0.1) ? frame.subarray(0, g.int(frame.length)) : frame
  })
}

/**
 * Writes, half-closes, and waits for the server to end the connection (or the cap). Resolves with
 * the status of the server's first answer ("101", "400" …), or "none".
 */
function fire(port: number, first: Buffer | string, afterResponse: Buffer[] = []): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    let status = 'none'
    const done = () => {
      clearTimeout(timer)
      socket.destroy()
      resolve(status)
    }
    const timer = setTimeout(done, CASE_TIMEOUT_MS)
    socket.on('error', done)
    socket.on('close', done)
    socket.on('connect', () => {
      socket.write(first)
      if (afterResponse.length === 0) socket.end()
    })
    let upgraded = false
    socket.on('data', (chunk) => {
      if (status === 'none') status = chunk.toString('latin1').match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? 'other'
      if (upgraded || afterResponse.length === 0) return
      upgraded = true
      for (const frame of afterResponse) socket.write(frame)
      socket.end()
    })
  })
}

let p: ServeProcess
let before: State

beforeAll(async () => {
  p = await startServeProcess('fuzz')
  expect((await request(p, 'projects.create', { name: 'before the fuzz' })).ok).toBe(true)
  // The first read of some lists seeds rows once (the built-in datasets, default settings): done
  // here, so the snapshot compares against a lab that has nothing left to seed.
  for (const method of READ_ONLY_METHODS.slice(0, 4)) expect((await request(p, method, {})).ok).toBe(true)
  before = stateOf(p)
})
afterAll(async () => {
  await p?.stop()
})

describe('serve mode under a bounded fuzz on 127.0.0.1', () => {
  it(`survives ${CASES} random malformed requests and frames (seed ${SEED}) and still answers a valid request`, async () => {
    const g = generator(SEED)
    const cases: (() => Promise<string>)[] = Array.from({ length: CASES }, (_, i) => {
      if (i % 2 === 0) {
        const bytes = randomHttp(g, p.port, p.token)
        return () => fire(p.port, bytes)
      }
      const frames = randomFrames(g)
      return () => fire(p.port, wsHandshake(p.port, p.token), frames)
    })
    const started = Date.now()
    let sent = 0
    const answers: Record<string, number> = {}
    const worker = async () => {
      while (sent < cases.length && Date.now() - started < BUDGET_MS) {
        const status = await cases[sent++]()
        answers[status] = (answers[status] ?? 0) + 1
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker))
    const elapsed = Date.now() - started
    // What the server answered first, by status: a record of what the fuzz reached.
    process.stdout.write(`fuzz: ${sent} cases in ${elapsed} ms; first answers ${JSON.stringify(answers)}\n`)

    expect(sent).toBe(CASES)
    expect(await healthProblem(p)).toBeNull()
    expect(integrityOf(p)).toBe('ok')
    expect(stateOf(p)).toEqual(before)
  }, 90_000)
})
