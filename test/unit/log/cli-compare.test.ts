/** `lab compare` prints the results table Compare shows, through the real service and contract. */
import { afterEach, describe, expect, it } from 'vitest'
import { testLab } from '../../support/lab'
import { compareCommand } from '../../../src-main/cli/commands/log'
import { parseArgs } from '../../../src-main/cli/args'
import { createRun, setRunStatus } from '../../../src-main/lab/store/runs'
import { writeEvalRecord } from '../../../src-main/lab/store/evaluations'
import { addRun } from './fixtures'

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of closers.splice(0)) await c()
})

async function compare(argv: string[], json = false): Promise<{ text: string; t: ReturnType<typeof testLab> }> {
  const t = testLab('cli-compare')
  closers.push(t.close)
  const db = t.lab.ctx.db
  const model = addRun(db, {
    name: 'model',
    evals: [
      ['clean', 'Linf', 0, 0.95],
      ['fgsm', 'Linf', 8 / 255, 0.4]
    ]
  })
  const cancelled = createRun(db, { name: 'cancelled eval', kind: 'eval', config: { runId: model }, seed: 0 })
  setRunStatus(db, cancelled, 'running', { backend: 'wasm' })
  writeEvalRecord(db, cancelled, {
    type: 'result',
    runId: model,
    attack: 'pgd',
    norm: 'Linf',
    epsilon: 5,
    seed: 0,
    n: 100,
    accuracy: 0,
    cleanAccuracy: null,
    params: {},
    seconds: null
  })
  setRunStatus(db, cancelled, 'cancelled')
  const lines: string[] = []
  await compareCommand.run(parseArgs([String(model), ...argv], compareCommand.options ?? {}), {
    api: t.api,
    json,
    out: (s) => lines.push(s),
    err: () => {},
    interactive: false
  })
  return { text: lines.join('\n'), t }
}

describe('lab compare', () => {
  it('prints the Markdown results table, a cancelled evaluation left out', async () => {
    const { text } = await compare([])
    expect(text.split('\n')[0]).toBe('| model / strategy | n | clean | FGSM (ε=8/255) | suspected gradient masking |')
    expect(text).toContain('| model | 1 | 95.0% | 40.0% | not evaluated |')
  })

  it('shows the partial result, marked, with --include-partial', async () => {
    const { text } = await compare(['--include-partial'])
    expect(text).toContain('PGD (ε=5)')
    expect(text).toContain('0.0% partial (cancelled)')
  })

  it('prints the results table object with --json, the same one the Compare screen renders', async () => {
    const { text } = await compare([], true)
    const table = JSON.parse(text)
    expect(table.columns.map((c: { title: string }) => c.title)).toEqual(['clean', 'FGSM (ε=8/255)'])
    expect(table.partial).toHaveLength(1)
  })
})
