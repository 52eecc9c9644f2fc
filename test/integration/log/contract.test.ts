/** The log's requests through the real lab service and the contract, as the app and the CLI send them. */
import { afterEach, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import { requests } from '../../../src-main/api/contract'
import { testLab } from '../../support/lab'
import { seedStudy } from '../../unit/log/fixtures'
import { parseEpsilon, parseIds } from '../../../src-main/cli/commands/log'

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of closers.splice(0)) await c()
})

function lab() {
  const t = testLab('log-contract')
  closers.push(t.close)
  return t
}

describe('log requests', () => {
  it('compare, tag, select, table, trash and restore answer with results their schemas accept', async () => {
    const { lab: service, api, dataDir } = lab()
    const { ids } = seedStudy(service.ctx.db)
    const changes: string[] = []
    api.on('log.changed', (e) => changes.push(e.what))

    const cmp = await api.request('runs.compare', { ids })
    expect(requests['runs.compare'].result.safeParse(cmp).success).toBe(true)
    const results = await api.request('results.table', { ids })
    expect(requests['results.table'].result.safeParse(results).success).toBe(true)
    expect(results.rows).toHaveLength(4)

    await api.request('runs.tag', { ids: ids.slice(0, 3), tags: ['baseline'] })
    expect((await api.request('runs.select', { tag: 'baseline' })).map((r) => r.id).sort()).toEqual(ids.slice(0, 3))

    const table = await api.request('export.table', { ids, format: 'md', path: 'tables/seed.md' })
    expect(table.path).toBe(path.join(dataDir, 'tables/seed.md'))
    expect(fs.readFileSync(table.path!, 'utf8')).toBe(table.text)

    await api.request('runs.delete', { ids: [ids[0]] })
    expect((await api.request('trash.list', {})).map((t) => t.id)).toEqual([ids[0]])
    expect((await api.request('runs.select', {})).map((r) => r.id)).not.toContain(ids[0])
    await api.request('trash.restore', { ids: [ids[0]] })
    expect(await api.request('trash.list', {})).toEqual([])
    expect(changes).toEqual(['tags', 'trashed', 'restored'])
  })

  it('rejects bad parameters at the boundary with the field named', async () => {
    const { api } = lab()
    const r = await api.call('export.table', { ids: [1], format: 'xlsx' })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error).toMatchObject({ code: 'invalid_params', field: 'format' })
    const missing = await api.call('runs.compare', { ids: [424242] })
    expect(missing.ok).toBe(false)
    if (!missing.ok) expect(missing.error).toMatchObject({ code: 'not_found', message: expect.stringMatching(/424242/) })
  })
})

describe('CLI arguments', () => {
  it('reads run ids as lists and ranges and ε as fractions', () => {
    expect(parseIds(['3', '5-7', '9,10', '3'])).toEqual([3, 5, 6, 7, 9, 10])
    expect(() => parseIds(['x'])).toThrow(/not a run id/)
    expect(() => parseIds([])).toThrow(/at least one/)
    expect(parseEpsilon('8/255')).toBeCloseTo(8 / 255, 15)
    expect(parseEpsilon('0.3')).toBe(0.3)
    expect(() => parseEpsilon('eight')).toThrow(/fraction such as 8\/255/)
  })
})
