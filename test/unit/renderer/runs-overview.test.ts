/**
 * runs.overview, the Runs screen's one request, on a real log: models first, each with the attack,
 * evaluation and sweep runs that measured it nested under it (not as rows of their own with no
 * dataset and "defence none"), the results table's headline numbers, and the studies it is in.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { runsOverview } from '../../../src-main/lab/store/runs-overview'
import { buildResultsTable } from '../../../src-main/lab/store/results-table'
import { createRun, setRunStatus } from '../../../src-main/lab/store/runs'
import { addStudyRun, createStudy } from '../../../src-main/lab/store/studies'
import { trashRuns } from '../../../src-main/lab/store/organise'
import { RunsOverviewSchema } from '../../../src-main/api/runs-overview'
import type { StudyPlan } from '../../../src-main/api/studies'
import { addRun, baseConfig, freshLog, type Lab } from '../log/fixtures'

let lab: Lab
afterEach(() => lab?.cleanup())

const noProgress = () => null

function measurement(
  lab: Lab,
  kind: 'attack' | 'eval' | 'sweep',
  targets: number[],
  status: 'completed' | 'running' = 'completed'
): number {
  const id = createRun(lab.db, {
    name: `${kind} of ${targets.join('+')}`,
    kind,
    config: { targetRunIds: targets, attack: 'pgd', epsilon: 0.3 },
    seed: 0
  })
  setRunStatus(lab.db, id, 'running', { backend: 'wasm' })
  if (status === 'completed') setRunStatus(lab.db, id, 'completed')
  return id
}

describe('runs.overview', () => {
  it('lists one row per model, with its attacks, evaluations and sweeps nested under it', () => {
    lab = freshLog()
    const baseline = addRun(lab.db, { name: 'baseline', metrics: { 'test/accuracy': [0.5, 0.91] } })
    const distilled = addRun(lab.db, {
      name: 'student',
      kind: 'distill',
      config: { student: baseConfig(), temperature: 20, alpha: 0.7, teacherRunId: baseline }
    })
    const attack = measurement(lab, 'attack', [baseline])
    const sweep = measurement(lab, 'sweep', [baseline, distilled])
    const evaluation = measurement(lab, 'eval', [distilled], 'running')

    const overview = RunsOverviewSchema.parse(runsOverview(lab.db, { limit: 500 }, noProgress))
    expect(overview.models.map((m) => m.id)).toEqual([distilled, baseline])
    const byId = new Map(overview.models.map((m) => [m.id, m]))
    expect(byId.get(baseline)!.measurements.map((m) => m.id)).toEqual([sweep, attack])
    expect(byId.get(distilled)!.measurements.map((m) => [m.id, m.kind, m.status])).toEqual([
      [evaluation, 'eval', 'running'],
      [sweep, 'sweep', 'completed']
    ])
    expect(overview.unattached).toEqual([])
    // A model is filed as runs.select files it: its dataset, architecture and defence.
    expect([byId.get(distilled)!.dataset, byId.get(distilled)!.arch, byId.get(distilled)!.defence]).toEqual([
      'mnist',
      'cnn-small',
      'distillation'
    ])
    expect(byId.get(distilled)!.config['student.optimizer.lr']).toBe(0.1)
    expect(byId.get(baseline)!.metrics['test/accuracy']).toBeCloseTo(0.91, 12)
  })

  it('scores each model with the results table’s headline, the one source of clean and robust accuracy', () => {
    lab = freshLog()
    const id = addRun(lab.db, {
      name: 'baseline',
      metrics: { 'test/accuracy': [0.93] },
      evals: [
        ['clean', 'Linf', 0, 0.95],
        ['pgd', 'Linf', 0.3, 0.12],
        ['fgsm', 'Linf', 0.3, 0.4]
      ],
      verdict: { verdict: 'no', fired: [] }
    })
    const [model] = runsOverview(lab.db, { limit: 500 }, noProgress).models
    expect(model.headline).toEqual(buildResultsTable(lab.db, { ids: [id] }).headlines[0])
    expect([model.headline.clean, model.headline.robust?.accuracy, model.headline.verdict]).toEqual([0.95, 0.12, 'no'])
  })

  it('names the studies a model is in, and lists a measurement of trashed models apart', () => {
    lab = freshLog()
    const a = addRun(lab.db, { name: 'seed 1' })
    const b = addRun(lab.db, { name: 'seed 2' })
    const lone = addRun(lab.db, { name: 'lone' })
    const study = createStudy(lab.db, { name: 'seed-quick', preset: 'seed-quick', plan: {} as StudyPlan })
    addStudyRun(lab.db, study, a, 'baseline', 1, 'model')
    addStudyRun(lab.db, study, b, 'baseline', 2, 'model')
    const orphan = measurement(lab, 'attack', [lone])
    trashRuns(lab.db, [lone])

    const overview = runsOverview(lab.db, { limit: 500 }, noProgress)
    expect(overview.models.map((m) => [m.id, m.studyIds])).toEqual([
      [b, [study]],
      [a, [study]]
    ])
    expect(overview.studies.map((s) => [s.id, s.name])).toEqual([[study, 'seed-quick']])
    expect(overview.unattached.map((m) => m.id)).toEqual([orphan])
  })

  it('gives live progress to running runs only', () => {
    lab = freshLog()
    const running = addRun(lab.db, { name: 'training', status: 'running' })
    const progress = { phase: 'train', step: 3, total: 10, etaSeconds: 4 }
    const [model] = runsOverview(lab.db, { limit: 500 }, (id) => (id === running ? progress : null)).models
    expect(model.progress).toEqual(progress)
    expect(model.metrics).toEqual({})
  })
})
