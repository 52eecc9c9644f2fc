/**
 * The HTTP and WebSocket part of the malformed-input corpus: requests and frames built byte by
 * byte, sent to serve mode in its own process. Each case must get a structured answer (an HTTP
 * error status with the security headers and a text naming what was wrong, a WebSocket close code,
 * or a JSON error frame), and afterwards the process is alive and answers valid requests, the log
 * passes `PRAGMA integrity_check`, no table's row count changed, and nothing appeared outside the
 * data directory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import crypto from 'node:crypto'
import {
  httpRequest,
  OPCODE,
  parseResponse,
  rawExchange,
  wsFrame,
  wsExchange,
  type ParsedResponse,
  type WsOutcome
} from '../integration/server/raw'
import { healthProblem, integrityOf, request, startServeProcess, stateOf, type ServeProcess, type State } from './serve-process'

let p: ServeProcess
let before: State
const tally = { cases: 0, clean: 0, crashes: 0 }

beforeAll(async () => {
  p = await startServeProcess('http-ws')
  // Some committed rows, so "unchanged" means something.
  for (const name of ['alpha', 'beta']) expect((await request(p, 'projects.create', { name })).ok).toBe(true)
  before = stateOf(p)
})
afterAll(async () => {
  // The counts the issue asks for, in the test output.
  process.stdout.write(`http-ws corpus: ${tally.cases} cases, ${tally.clean} clean errors, ${tally.crashes} crashes\n`)
  await p?.stop()
})

/** Runs one case, then every check the corpus promises; counts it. */
async function corpusCase(run: () => Promise<void>): Promise<void> {
  tally.cases++
  await run()
  const health = await healthProblem(p)
  if (health?.startsWith('the serve process exited')) tally.crashes++
  expect(health).toBeNull()
  expect(integrityOf(p)).toBe('ok')
  expect(stateOf(p)).toEqual(before)
  tally.clean++
}

// ---- HTTP ------------------------------------------------------------------------------------

/** An error answer a client can act on: the status, our headers, a text naming the problem. */
function expectStructured(res: ParsedResponse | null, status: number, says: RegExp): void {
  expect(res, 'no HTTP answer').not.toBeNull()
  expect(res!.status).toBe(status)
  expect(res!.headers['content-security-policy']).toContain("default-src 'self'")
  expect(res!.headers['x-content-type-options']).toBe('nosniff')
  expect(res!.headers['content-type']).toBe('text/plain; charset=utf-8')
  expect(res!.body).toMatch(says)
}

const T = () => p.token
const H = () => `Host: 127.0.0.1:${p.port}\r\nCookie: advlab_token=${T()}\r\nConnection: close\r\n`
const upgradeHeaders = (key = crypto.randomBytes(16).toString('base64')) => ({
  Connection: 'Upgrade',
  Upgrade: 'websocket',
  'Sec-WebSocket-Version': '13',
  'Sec-WebSocket-Key': key
})

/** [name, raw request, expected status, what the answer must say]. */
const httpCases: [string, () => string | Buffer, number, RegExp][] = [
  ['a lone "%" in the path', () => httpRequest(p.port, '/%', { token: T() }), 400, /not valid percent-encoded UTF-8/],
  ['a truncated multi-byte escape', () => httpRequest(p.port, '/%E0%A4%A', { token: T() }), 400, /not valid percent-encoded/],
  ['a NUL byte after a real file name', () => httpRequest(p.port, '/index.html%00', { token: T() }), 400, /control character/],
  ['escapes that are not UTF-8', () => httpRequest(p.port, '/%ff%fe', { token: T() }), 400, /not valid percent-encoded UTF-8/],
  ['an overlong UTF-8 slash', () => httpRequest(p.port, '/%C0%AF..%C0%AFsecret.txt', { token: T() }), 400, /not valid percent-encoded/],
  ['an encoded CR LF (header injection)', () => httpRequest(p.port, '/a%0d%0aSet-Cookie:%20x=1', { token: T() }), 400, /control character/],
  [
    'an encoded traversal out of the renderer',
    () => httpRequest(p.port, '/..%2fsecret.txt', { token: T() }),
    403,
    /leaves the app's folder/
  ],
  ['a backslash traversal', () => httpRequest(p.port, '/assets/..%5c..%5csecret.txt', { token: T() }), 403, /leaves the app's folder/],
  ['a target that is not a path ("//")', () => httpRequest(p.port, '//', { token: T() }), 400, /is not a path/],
  ['an absolute-form target that does not parse', () => httpRequest(p.port, 'http://[/', { token: T() }), 400, /is not a path/],
  ['the asterisk target', () => httpRequest(p.port, '*', { token: T(), method: 'OPTIONS' }), 400, /"\*" is not a path/],
  ['no token', () => httpRequest(p.port, '/'), 401, /needs the token/],
  ['a wrong token of the right length', () => httpRequest(p.port, `/?token=${'A'.repeat(32)}`), 401, /needs the token/],
  ['a token of odd bytes', () => httpRequest(p.port, '/?token=%F0%9F%92%A9%00'), 401, /needs the token/],
  [
    'a cookie header of junk',
    () => httpRequest(p.port, '/', { headers: { Cookie: `;;=;advlab_token;${'x='.repeat(3000)}` } }),
    401,
    /needs the token/
  ],
  [
    'POST',
    () => httpRequest(p.port, '/', { token: T(), method: 'POST', headers: { 'Content-Length': '2' } }) + '{}',
    405,
    /not allowed.*GET or HEAD/
  ],
  ['DELETE', () => httpRequest(p.port, '/', { token: T(), method: 'DELETE' }), 405, /not allowed/],
  [
    'a Host of another name (DNS rebinding)',
    () => httpRequest(p.port, '/', { token: T(), headers: { Host: `rebound.example:${p.port}` } }),
    403,
    /rebound\.example/
  ],
  [
    'a Host of the right name on another port',
    () => httpRequest(p.port, '/', { token: T(), headers: { Host: '127.0.0.1:9' } }),
    403,
    /addressed to "127\.0\.0\.1:9"/
  ],
  ['two Host headers', () => `GET / HTTP/1.1\r\n${H()}Host: evil.example\r\n\r\n`, 400, /more than one Host/],
  ['no Host header (HTTP/1.1)', () => `GET / HTTP/1.1\r\nCookie: advlab_token=${T()}\r\nConnection: close\r\n\r\n`, 403, /no Host header/],
  ['no Host header (HTTP/1.0)', () => `GET /?token=${T()} HTTP/1.0\r\n\r\n`, 403, /no Host header/],
  ['a NUL in the method', () => `G\0T / HTTP/1.1\r\n${H()}\r\n`, 400, /HPE_INVALID_METHOD/],
  ['an unknown HTTP version', () => `GET / HTTP/9.9\r\n${H()}\r\n`, 400, /HPE_INVALID_VERSION/],
  ['the HTTP/2 preface', () => 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 400, /could not be read/],
  ['bare LF line endings', () => `GET / HTTP/1.1\nHost: 127.0.0.1:${p.port}\n\n`, 400, /could not be read/],
  ['a header name with a space', () => `GET / HTTP/1.1\r\n${H()}Bad Name: x\r\n\r\n`, 400, /HPE_INVALID_HEADER_TOKEN/],
  ['an obsolete folded header', () => `GET / HTTP/1.1\r\n${H()}X-A: a\r\n b\r\n\r\n`, 400, /could not be read/],
  [
    'Content-Length with Transfer-Encoding (smuggling)',
    () => `GET / HTTP/1.1\r\n${H()}Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    400,
    /could not be read/
  ],
  ['a negative Content-Length', () => `GET / HTTP/1.1\r\n${H()}Content-Length: -1\r\n\r\n`, 400, /HPE_INVALID_CONTENT_LENGTH/],
  [
    'two different Content-Lengths',
    () => `GET / HTTP/1.1\r\n${H()}Content-Length: 1\r\nContent-Length: 2\r\n\r\nab`,
    400,
    /could not be read/
  ],
  ['a 100 kB request target', () => `GET /${'a'.repeat(100_000)} HTTP/1.1\r\n${H()}\r\n`, 431, /HPE_HEADER_OVERFLOW/],
  ['a 20 kB header', () => `GET / HTTP/1.1\r\n${H()}X-Big: ${'b'.repeat(20_000)}\r\n\r\n`, 431, /HPE_HEADER_OVERFLOW/],
  ['random bytes', () => Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 151 + 7) % 256)), 400, /could not be read/],
  [
    'a WebSocket upgrade with a malformed key',
    () => httpRequest(p.port, `/api?token=${T()}`, { headers: upgradeHeaders('short') }),
    400,
    /Sec-WebSocket-Key/
  ],
  [
    'a WebSocket upgrade of version 8',
    () => httpRequest(p.port, `/api?token=${T()}`, { headers: { ...upgradeHeaders(), 'Sec-WebSocket-Version': '8' } }),
    400,
    /Version must be 13/
  ],
  [
    'a WebSocket upgrade asking for a sub-protocol',
    () => httpRequest(p.port, `/api?token=${T()}`, { headers: { ...upgradeHeaders(), 'Sec-WebSocket-Protocol': 'x, ,y' } }),
    400,
    /sub-protocol/
  ],
  [
    'a WebSocket upgrade by POST',
    () => httpRequest(p.port, `/api?token=${T()}`, { method: 'POST', headers: upgradeHeaders() }),
    400,
    /opens with GET/
  ],
  [
    'a WebSocket upgrade on another path',
    () => httpRequest(p.port, `/other?token=${T()}`, { headers: upgradeHeaders() }),
    404,
    /WebSocket is at \/api/
  ],
  ['a WebSocket upgrade without the token', () => httpRequest(p.port, '/api', { headers: upgradeHeaders() }), 401, /needs the token/],
  [
    'a WebSocket upgrade from a page on another port',
    () => httpRequest(p.port, `/api?token=${T()}`, { headers: { ...upgradeHeaders(), Origin: `http://127.0.0.1:${p.port + 1}` } }),
    403,
    /came from "http:\/\/127\.0\.0\.1:\d+"/
  ],
  [
    'a WebSocket upgrade from a rebound name',
    () =>
      httpRequest(p.port, `/api?token=${T()}`, {
        headers: { ...upgradeHeaders(), Host: `evil.example:${p.port}`, Origin: `http://evil.example:${p.port}` }
      }),
    403,
    /evil\.example/
  ],
  [
    'a WebSocket upgrade with a bad percent-escape',
    () => httpRequest(p.port, `/api%?token=${T()}`, { headers: upgradeHeaders() }),
    404,
    /WebSocket is at/
  ]
]

describe('the HTTP corpus: malformed requests get a structured error, never a crash', () => {
  for (const [name, build, status, says] of httpCases) {
    it(`answers ${name} with ${status}`, () =>
      corpusCase(async () => {
        const reply = await rawExchange(p.port, build(), 3000)
        expectStructured(parseResponse(reply.bytes), status, says)
      }))
  }

  it('answers an encoded-dot traversal with the app shell, never the file beside the renderer', () =>
    corpusCase(async () => {
      const res = parseResponse((await rawExchange(p.port, httpRequest(p.port, '/%2e%2e/%2e%2e/secret.txt', { token: T() }))).bytes)
      expect(res?.status).toBe(200)
      expect(res?.body).toContain('<title>AdvLab</title>')
      expect(res?.body).not.toContain('outside the renderer')
    }))

  it('answers a reversed Range and a failing If-Match with the whole file (no partial or conditional answers)', () =>
    corpusCase(async () => {
      const res = parseResponse(
        (await rawExchange(p.port, httpRequest(p.port, '/', { token: T(), headers: { Range: 'bytes=9-2', 'If-Match': '"nope"' } }))).bytes
      )
      expect(res?.status).toBe(200)
      expect(res?.body).toContain('<title>AdvLab</title>')
    }))

  it('lets a client that stops mid-request go without harm', () =>
    corpusCase(async () => {
      const reply = await rawExchange(p.port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${p.port}\r\nCook`, 300)
      expect(reply.bytes.length).toBe(0)
    }))
})

// ---- WebSocket -------------------------------------------------------------------------------

const text = (s: string) => wsFrame(OPCODE.text, s)
const closeFrame = (code: number, reason: Buffer | string = '') => {
  const payload = Buffer.concat([Buffer.from([code >> 8, code & 0xff]), Buffer.from(reason)])
  return wsFrame(OPCODE.close, payload)
}

/** [name, frames, close code the server must send; null: it drops the connection without one]. */
const protocolCases: [string, () => Buffer[], number | null][] = [
  ['invalid UTF-8 in a text frame', () => [wsFrame(OPCODE.text, Buffer.from([0x7b, 0xc3, 0x28, 0x7d]))], 1007],
  ['a UTF-16 surrogate encoded as UTF-8', () => [wsFrame(OPCODE.text, Buffer.from([0xed, 0xa0, 0x80]))], 1007],
  [
    'invalid UTF-8 split across fragments',
    () => [wsFrame(OPCODE.text, Buffer.from([0xe2, 0x82]), { fin: false }), wsFrame(OPCODE.continuation, Buffer.from([0x28]))],
    1007
  ],
  ['a reserved data opcode (0x3)', () => [wsFrame(0x3, 'x')], 1002],
  ['a reserved control opcode (0xB)', () => [wsFrame(0xb, 'x')], 1002],
  ['an unmasked client frame', () => [wsFrame(OPCODE.text, '{}', { mask: false })], 1002],
  ['RSV1 without a negotiated extension', () => [wsFrame(OPCODE.text, '{}', { rsv: 4 })], 1002],
  ['RSV2 and RSV3 set', () => [wsFrame(OPCODE.text, '{}', { rsv: 3 })], 1002],
  ['a fragmented ping', () => [wsFrame(OPCODE.ping, 'x', { fin: false })], 1002],
  ['a ping of 126 bytes (control frames are at most 125)', () => [wsFrame(OPCODE.ping, Buffer.alloc(126))], 1002],
  ['a continuation with nothing to continue', () => [wsFrame(OPCODE.continuation, 'x')], 1002],
  ['a new text frame inside a fragmented message', () => [wsFrame(OPCODE.text, '{', { fin: false }), text('{}')], 1002],
  ['a header claiming 2^40 bytes', () => [wsFrame(OPCODE.binary, Buffer.alloc(0), { declaredLength: 2n ** 40n })], 1009],
  ['a header claiming 2^63 bytes', () => [wsFrame(OPCODE.binary, Buffer.alloc(0), { declaredLength: 2n ** 63n })], 1009],
  [
    'a message over the limit in fragments',
    () => [
      wsFrame(OPCODE.text, Buffer.alloc(1024 * 1024, 0x20), { fin: false }),
      ...Array.from({ length: 4 }, () => wsFrame(OPCODE.continuation, Buffer.alloc(1024 * 1024, 0x20), { fin: false })),
      wsFrame(OPCODE.continuation, ' ')
    ],
    1009
  ],
  ['a close frame with a reserved code (999)', () => [closeFrame(999)], 1002],
  ['a close frame with a one-byte payload', () => [wsFrame(OPCODE.close, Buffer.from([0x03]))], 1002],
  ['a close frame whose reason is not UTF-8', () => [closeFrame(1000, Buffer.from([0xff, 0xfe]))], 1007],
  // ws caps the pongs it owes a client that does not read them, and drops that client.
  ['a flood of 200 unread pings', () => Array.from({ length: 200 }, () => wsFrame(OPCODE.ping, 'p')), null]
]

/** [name, frames, the error code of the JSON answer]: the connection stays open for the next request. */
const requestCases: [string, () => Buffer[], string][] = [
  ['text that is not JSON', () => [text('{not json')], 'invalid_params'],
  ['an empty text frame', () => [text('')], 'invalid_params'],
  ['a JSON array', () => [text('[1,2,3]')], 'invalid_params'],
  ['JSON null', () => [text('null')], 'invalid_params'],
  ['a request without an id', () => [text('{"method":"projects.list","params":{}}')], 'invalid_params'],
  ['a fractional id', () => [text('{"id":1.5,"method":"projects.list","params":{}}')], 'invalid_params'],
  ['a method that is not a string', () => [text('{"id":3,"method":{"toString":1},"params":{}}')], 'invalid_params'],
  ['a binary frame', () => [wsFrame(OPCODE.binary, '{"id":4,"method":"projects.list","params":{}}')], 'invalid_params'],
  ['an unknown method', () => [text('{"id":5,"method":"rm -rf","params":{}}')], 'unknown_method'],
  ['"__proto__" as the method', () => [text('{"id":6,"method":"__proto__","params":{}}')], 'unknown_method'],
  ['"constructor" as the method', () => [text('{"id":7,"method":"constructor","params":{}}')], 'unknown_method'],
  [
    'params polluting the prototype',
    () => [text('{"id":8,"method":"projects.create","params":{"__proto__":{"name":"x"}}}')],
    'invalid_params'
  ],
  [
    'params nested 100 000 deep',
    () => [text(`{"id":9,"method":"projects.create","params":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)],
    'invalid_params'
  ],
  [
    'a project name of 1 MB',
    () => [text(JSON.stringify({ id: 10, method: 'projects.create', params: { name: 'n'.repeat(1_000_000) } }))],
    'invalid_params'
  ],
  [
    'a request after a few pings',
    () => [...Array.from({ length: 5 }, () => wsFrame(OPCODE.ping, 'p')), text('{"id":11,"method":"nope","params":{}}')],
    'unknown_method'
  ]
]

describe('the WebSocket corpus: protocol errors close that connection, bad requests get JSON errors', () => {
  for (const [name, frames, code] of protocolCases) {
    it(`${code === null ? 'drops the connection' : `closes the connection with ${code}`} on ${name}`, () =>
      corpusCase(async () => {
        const outcome = await wsExchange(p.port, T(), frames(), { timeoutMs: 3000 })
        expect(outcome.status).toBe(101)
        expect(outcome.closed).toBe(true)
        expect(outcome.closeCode).toBe(code)
      }))
  }

  for (const [name, frames, code] of requestCases) {
    it(`answers ${name} with a ${code} error and keeps the connection`, () =>
      corpusCase(async () => {
        const errorFrame = (o: WsOutcome['messages']) => o.some((m) => JSON.parse(m).ok === false)
        const outcome = await wsExchange(p.port, T(), frames(), { timeoutMs: 3000, until: errorFrame })
        expect(outcome.closed).toBe(false)
        const answer = outcome.messages.map((m) => JSON.parse(m)).find((m) => m.ok === false)
        expect(answer?.error?.code).toBe(code)
        expect(answer?.error?.message).toMatch(/\w{3,}/)
      }))
  }

  it('lets a client that vanishes mid-frame go without harm', () =>
    corpusCase(async () => {
      const frame = text('{"id":1,"method":"projects.list","params":{}}')
      const outcome = await wsExchange(p.port, T(), [frame.subarray(0, 5)], { timeoutMs: 300 })
      expect(outcome.status).toBe(101)
    }))
})
