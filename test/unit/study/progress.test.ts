/**
 * Terminal progress of a study in a log (not a terminal): a line when a run starts and when it
 * ends, and the overall bar when it moves by a tenth or a run ends — never a redraw sequence.
 */
import { describe, expect, it } from 'vitest'
import { StudyProgress } from '../../../src-main/cli/commands/study'

const event = (done: number, fraction: number, active: Array<[number, string, number, number]>) => ({
  studyId: 1,
  status: 'running' as const,
  done,
  failed: 0,
  total: 4,
  fraction,
  active: active.map(([runId, label, step, total]) => ({ runId, label, phase: 'train', step, total })),
  elapsedSeconds: 30
})

describe('study progress in a log', () => {
  it('prints run starts, run ends and the overall bar as plain lines', () => {
    const lines: string[] = []
    const p = new StudyProgress(false, (t) => lines.push(t))
    p.update(event(0, 0, [[1, 'Baseline · seed 1', 0, 10]]))
    p.update(event(0, 0.05, [[1, 'Baseline · seed 1', 2, 10]]))
    p.update(event(1, 0.25, [[2, 'Baseline · seed 1 — full evaluation', 0, 5]]))
    const text = lines.join('')
    expect(text).not.toContain('\x1b[')
    expect(lines.filter((l) => l.startsWith('started run 1: Baseline · seed 1'))).toHaveLength(1)
    expect(text).toContain('ended run 1: Baseline · seed 1\n')
    expect(text).toContain('started run 2: Baseline · seed 1 — full evaluation\n')
    const bars = lines.filter((l) => l.startsWith('overall'))
    expect(bars).toHaveLength(2) // at 0 % and when run 1 ended (25 %); 5 % is the same tenth
    expect(bars[1]).toContain(' 25% ')
    expect(bars[1]).toContain('1/4 runs done')
  })
})
