/**
 * Handlers of studies: presets, the review-step estimate, starting and cancelling a preset study,
 * listing and reading studies, their report, and custom studies saved from a comparison.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Handlers } from './handler'
import type { LabContext } from '../context'
import { LabError } from '../../api/errors'
import { isModelRunKind } from '../../api/runs'
import { STUDY_PRESETS, type StudyPlan, type StudyStart } from '../../api/studies'
import { ensureBuiltinDatasets } from '../data/builtins'
import { getDatasetRecord } from '../store/datasets'
import { getRun } from '../store/runs'
import { defenceOf, commonLabel } from '../store/compare'
import { architectureOf, datasetNameOf } from '../store/model-identity'
import { PRESETS, resolvePreset } from '../study/presets'
import { estimateStudy } from '../study/estimate'
import { cancelStudy, markOrphanedStudies, runStudy } from '../study/runner'
import { addStudyRun, clearStudyDuration, createStudy, getStudy, getStudySummary, listStudies, finishStudy } from '../store/studies'
import { requireProject } from '../store/projects'
import { evaluatedEpsilons, largestEvaluation } from '../store/evaluations'
import { buildStudyReport } from '../study/report'
import { formatStudyReport } from '../study/report-formats'

async function resolve(ctx: LabContext, params: StudyStart) {
  await ensureBuiltinDatasets(ctx)
  const preset = PRESETS[params.preset]
  const dataset = params.dataset ?? preset.dataset
  if (!dataset)
    throw new LabError(
      'bad_input',
      `The ${params.preset} study needs a dataset: register CIFAR-10 (lab dataset add <folder>) and give its name, e.g. lab study run ${params.preset} --dataset <folder>.`,
      'dataset'
    )
  const record = getDatasetRecord(ctx.db, dataset)
  return resolvePreset(params.preset, record.name, params.scale)
}

export const studyHandlers: Handlers<
  | 'studies.presets'
  | 'studies.estimate'
  | 'studies.start'
  | 'studies.list'
  | 'studies.get'
  | 'studies.cancel'
  | 'studies.report'
  | 'studies.save-from-runs'
> = {
  'studies.presets': () =>
    STUDY_PRESETS.map((id) => {
      const p = PRESETS[id]
      return {
        id,
        title: p.title,
        description:
          id === 'seed-quick'
            ? 'The seed study on built-in MNIST with cnn-small: baseline, defensive distillation, distillation + PGD-5, the gradient-truncation toy; 3 seeds; sized for a laptop.'
            : 'The seed write-up’s exact settings: CIFAR-10 (yours), ResNet-18, SGD lr 0.1 cosine, 200 epochs, T = 20, α = 0.7, ε ∈ {2,4,8}/255, standard AutoAttack, 3 seeds. Meant for a GPU.',
        needsDataset: p.dataset === null,
        defaultDataset: p.dataset,
        plan: p.dataset ? resolvePreset(id, p.dataset, {}).plan : null
      }
    }),
  'studies.estimate': async (params, ctx) => {
    const study = await resolve(ctx, params)
    return { plan: study.plan, estimate: await estimateStudy(ctx, study, params.workers ?? os.availableParallelism()) }
  },
  'studies.start': async (params, ctx) => {
    const study = await resolve(ctx, params)
    requireProject(ctx.db, params.projectId)
    const id = createStudy(ctx.db, {
      name: params.name ?? `${params.preset} on ${study.plan.dataset}`,
      preset: params.preset,
      plan: study.plan
    })
    void runStudy(ctx, id, study, (e) => ctx.events.emit('studies.progress', e), params.workers ?? os.availableParallelism())
    return getStudySummary(ctx.db, id)
  },
  'studies.list': (_params, ctx) => {
    markOrphanedStudies(ctx)
    return listStudies(ctx.db)
  },
  'studies.get': ({ id }, ctx) => {
    markOrphanedStudies(ctx)
    return getStudy(ctx.db, id)
  },
  'studies.cancel': ({ id }, ctx) => {
    const summary = getStudySummary(ctx.db, id)
    if (!cancelStudy(ctx, id))
      throw new LabError(
        'conflict',
        summary.status === 'running'
          ? `Study ${id} is run by another AdvLab process sharing this log; cancel it there (Ctrl+C in its terminal).`
          : `Study ${id} is ${summary.status}, not running; there is nothing to cancel.`,
        'id'
      )
    return getStudySummary(ctx.db, id)
  },
  'studies.report': ({ id, format, path: out }, ctx) => {
    markOrphanedStudies(ctx)
    const report = buildStudyReport(ctx.db, id)
    const fmt = format ?? (out ? formatFromPath(out) : undefined)
    const text = fmt ? formatStudyReport(report, fmt) : null
    let written: string | null = null
    if (out) {
      if (text === null) throw new LabError('bad_input', `Say which format to write ${out} in (md, html, csv or latex).`, 'format')
      written = path.resolve(out)
      fs.mkdirSync(path.dirname(written), { recursive: true })
      fs.writeFileSync(written, text)
    }
    return { report, text, path: written }
  },
  'studies.save-from-runs': ({ name, runIds, arms }, ctx) => {
    const runs = [...new Set(runIds)].map((id) => getRun(ctx.db, id))
    for (const r of runs)
      if (!isModelRunKind(r.kind))
        throw new LabError(
          'bad_input',
          `Run ${r.id} ("${r.name}") is a ${r.kind} run, not a model; a study's rows are models (training, distillation, imported or wrapped runs).`,
          'runIds'
        )
    // Rows: as given, or runs of one config (repeats over seeds) together.
    const groups: Array<{ label: string; runIds: number[] }> = arms
      ? arms.map((a) => ({ label: a.label, runIds: a.runIds }))
      : [...groupBy(runs, (r) => r.configHash).values()].map((g) => ({
          label: commonLabel(g.map((r) => r.name)),
          runIds: g.map((r) => r.id)
        }))
    for (const g of groups)
      for (const id of g.runIds)
        if (!runs.some((r) => r.id === id)) throw new LabError('bad_input', `Run ${id} is in an arm but not in runIds.`, 'arms')
    const epsilons = evaluatedEpsilons(
      ctx.db,
      runs.map((r) => r.id),
      'fgsm'
    )
    const first = runs[0].config as Record<string, unknown>
    const plan: StudyPlan = {
      preset: 'custom',
      title: name,
      dataset: datasetNameOf(ctx.db, runs[0].id) ?? 'unknown',
      arch: architectureOf(ctx.db, runs[0].kind, first) ?? 'unknown',
      arms: groups.map((g, i) => {
        const r = runs.find((x) => x.id === g.runIds[0])!
        return {
          id: `arm-${i + 1}`,
          label: g.label,
          strategy: defenceOf(r.kind, r.config as Record<string, unknown>),
          description: `runs ${g.runIds.join(', ')}`
        }
      }),
      seeds: [...new Set(runs.map((r) => r.seed))].sort((a, b) => a - b),
      epsilon: epsilons.at(-1) ?? 0,
      epsilons,
      evalImages: largestEvaluation(
        ctx.db,
        runs.map((r) => r.id)
      ),
      budget: 'as evaluated',
      budgetNote: 'the evaluations already in the log for these runs (see each run for its budget).',
      training: {},
      scale: {}
    }
    const id = ctx.db.transaction(() => {
      const studyId = createStudy(ctx.db, { name, preset: 'custom', plan, status: 'completed' })
      groups.forEach((g, i) =>
        g.runIds.forEach((runId) => addStudyRun(ctx.db, studyId, runId, `arm-${i + 1}`, getRun(ctx.db, runId).seed, 'model'))
      )
      finishStudy(ctx.db, studyId, 'completed', null)
      clearStudyDuration(ctx.db, studyId)
      return studyId
    })()
    return getStudySummary(ctx.db, id)
  }
}

function formatFromPath(p: string): 'md' | 'html' | 'csv' | 'latex' | undefined {
  const ext = path.extname(p).toLowerCase()
  return ext === '.md' ? 'md' : ext === '.html' || ext === '.htm' ? 'html' : ext === '.csv' ? 'csv' : ext === '.tex' ? 'latex' : undefined
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>()
  for (const t of items) m.set(key(t), [...(m.get(key(t)) ?? []), t])
  return m
}
