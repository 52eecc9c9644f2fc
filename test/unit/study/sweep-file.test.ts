/**
 * Sweep files: cells are the cross product of the grid (last key fastest), each a valid config,
 * and a bad grid is refused with the cell and field named before any task starts.
 */
import { describe, expect, it } from 'vitest'
import { cellCount, parseSweepFile, setPath, sweepCell } from '../../../src-main/lab/sweeps/sweep-file'

const sweepJson = (grid: Record<string, unknown[]>) => ({
  name: 'lr × seed',
  base: { dataset: 'mnist', model: { arch: 'mlp' }, optimizer: { kind: 'sgd', lr: 0.1 }, epochs: 1 },
  grid,
  evaluate: { attacks: [{ attack: 'fgsm' }], epsilons: ['8/255', 0.1], n: 50 }
})

describe('sweep cells', () => {
  it('are the cross product of the grid, last key fastest, each with its values set in the config', () => {
    const sweep = parseSweepFile(sweepJson({ 'optimizer.lr': [0.01, 0.1, 1], seed: [1, 2] }))
    expect(cellCount(sweep)).toBe(6)
    const cells = Array.from({ length: 6 }, (_, i) => sweepCell(sweep, i))
    expect(cells.map((c) => [c.values['optimizer.lr'], c.values.seed])).toEqual([
      [0.01, 1],
      [0.01, 2],
      [0.1, 1],
      [0.1, 2],
      [1, 1],
      [1, 2]
    ])
    expect(cells[3].config).toMatchObject({ optimizer: { kind: 'sgd', lr: 0.1 }, seed: 2, name: 'lr × seed · optimizer.lr=0.1, seed=2' })
    // ε written as fractions become numbers.
    expect(sweep.evaluate!.epsilons[0]).toBeCloseTo(8 / 255, 12)
  })

  it('a sweep without a grid is one cell', () => {
    const sweep = parseSweepFile(sweepJson({}))
    expect(cellCount(sweep)).toBe(1)
    expect(sweepCell(sweep, 0).label).toBe('single cell')
  })

  it('refuses a grid value that makes an invalid config, naming the cell and the field', () => {
    expect(() => parseSweepFile(sweepJson({ epochs: [1, -2] }), 'sweep.json')).toThrow(
      /sweep\.json: cell 1 \(epochs=-2\) is not a valid train config: epochs/
    )
  })

  it('refuses an unknown attack, a misspelled setting and an L∞ ε above 1 before any cell runs', () => {
    const withEvaluate = (evaluate: Record<string, unknown>) => ({ ...sweepJson({}), evaluate: { ...sweepJson({}).evaluate, ...evaluate } })
    expect(() => parseSweepFile(withEvaluate({ attacks: [{ attack: 'pgd-typo' }] }), 'sweep.json')).toThrow(
      /^sweep\.json: evaluate\.attacks\.0: There is no attack "pgd-typo"\. Known attacks: fgsm, pgd/
    )
    expect(() => parseSweepFile(withEvaluate({ attacks: [{ attack: 'pgd', settings: { stpes: 100 } }] }), 'sweep.json')).toThrow(
      'sweep.json: evaluate.attacks.0: Attack "pgd" has no setting "stpes"; its settings are steps, stepSize, restarts, randomStart, loss.'
    )
    expect(() => parseSweepFile(withEvaluate({ epsilons: [0.1, 5] }), 'sweep.json')).toThrow(
      /^sweep\.json: evaluate\.epsilons\.1 = 5 is outside \(0, 1\] for the L∞ norm/
    )
  })

  it('refuses an index outside the grid', () => {
    const sweep = parseSweepFile(sweepJson({ seed: [1, 2] }))
    expect(() => sweepCell(sweep, 2)).toThrow(/outside 0…1/)
  })

  it('setPath creates the objects on the way and leaves siblings alone', () => {
    const o: Record<string, unknown> = { optimizer: { kind: 'sgd', lr: 1 } }
    setPath(o, 'optimizer.lr', 0.5)
    setPath(o, 'defence.kind', 'none')
    expect(o).toEqual({ optimizer: { kind: 'sgd', lr: 0.5 }, defence: { kind: 'none' } })
  })
})
