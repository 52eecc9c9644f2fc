/**
 * A sweep file for running beyond one machine: a base training (or distillation) config, a grid of
 * values to vary (dot paths into the config, crossed), and what to evaluate on each model. Each
 * point of the grid is a *cell*: one self-contained task that trains, evaluates and writes a run
 * bundle — so a Slurm array task or a Kubernetes Indexed Job pod can run it by its index alone.
 *
 * Example:
 *   { "name": "mnist-lr", "base": { "dataset": "mnist", "model": { "arch": "mlp" }, "epochs": 1 },
 *     "grid": { "optimizer.lr": [0.01, 0.1], "seed": [1, 2, 3] },
 *     "evaluate": { "attacks": [{ "attack": "fgsm" }], "epsilons": ["0.1", "0.3"], "n": 500 } }
 */
import crypto from 'node:crypto'
import { z } from 'zod'
import { DistillConfigSchema, TrainConfigSchema, type DistillConfig, type TrainConfig } from '../../api/train'
import { AttackChoiceSchema, NormSchema, SampleCountSchema } from '../../api/evaluation'
import { PixelAmountSchema } from '../../api/epsilon'
import { checkAttackChoice } from '../../api/attacks'
import { checkEpsilon } from '../../api/epsilon-range'
import { BUILTIN_DATASETS } from '../data/builtins'
import { canonicalJson } from '../store/runs'
import type { BundleCell } from '../../api/log'

export const SweepFileSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    kind: z.enum(['train', 'distill']).default('train'),
    /** A train.start (or distill.start) config; `name` is set per cell. */
    base: z.record(z.string(), z.unknown()),
    /** Dot path into the config → the values it takes; cells are the cross product, first key slowest. */
    grid: z.record(z.string().min(1), z.array(z.unknown()).min(1).max(1000)).default({}),
    evaluate: z
      .object({
        attacks: z.array(AttackChoiceSchema).min(1),
        epsilons: z.array(PixelAmountSchema).min(1),
        norm: NormSchema.default('Linf'),
        n: SampleCountSchema.default(1000),
        seed: z.number().int().min(0).default(0)
      })
      .strict()
      .optional(),
    /** Datasets each task registers before it runs (name → path as the task sees it, e.g. on the shared volume). */
    datasets: z.record(z.string().min(1), z.string().min(1)).default({})
  })
  .strict()
export type SweepFile = z.output<typeof SweepFileSchema>

export interface SweepCell {
  index: number
  /** "optimizer.lr=0.1, seed=2" */
  label: string
  values: Record<string, unknown>
  config: TrainConfig | DistillConfig
}

/** Sets `value` at a dot path of a (deep-copied) object, creating objects on the way. */
export function setPath(target: Record<string, unknown>, dotPath: string, value: unknown): void {
  const keys = dotPath.split('.')
  let o = target
  for (const k of keys.slice(0, -1)) {
    const next = o[k]
    if (!next || typeof next !== 'object' || Array.isArray(next)) o[k] = {}
    o = o[k] as Record<string, unknown>
  }
  o[keys[keys.length - 1]] = value
}

export function cellCount(sweep: SweepFile): number {
  return Object.values(sweep.grid).reduce((n, values) => n * values.length, 1)
}

/** The cell at `index`: mixed-radix digits of the index pick one value per grid key (last key fastest). */
export function sweepCell(sweep: SweepFile, index: number): SweepCell {
  const total = cellCount(sweep)
  if (!Number.isInteger(index) || index < 0 || index >= total)
    throw new RangeError(`cell index ${index} is outside 0…${total - 1} (the sweep "${sweep.name}" has ${total} cells)`)
  const keys = Object.keys(sweep.grid)
  const values: Record<string, unknown> = {}
  let rest = index
  for (let k = keys.length - 1; k >= 0; k--) {
    const options = sweep.grid[keys[k]]
    values[keys[k]] = options[rest % options.length]
    rest = Math.floor(rest / options.length)
  }
  const raw = structuredClone(sweep.base)
  for (const key of keys) setPath(raw, key, values[key])
  const label = keys.length ? keys.map((k) => `${k}=${JSON.stringify(values[k])}`).join(', ') : 'single cell'
  raw.name = `${sweep.name} · ${label}`
  const parsed = (sweep.kind === 'distill' ? DistillConfigSchema : TrainConfigSchema).safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`cell ${index} (${label}) is not a valid ${sweep.kind} config: ${issue.path.join('.') || '(config)'}: ${issue.message}`)
  }
  return { index, label, values, config: parsed.data }
}

/**
 * What a cell's bundle says it is, so that merging a re-run of the cell replaces its earlier result:
 * the sweep (by its name), the index, and a hash of the cell's whole config — seed included, so a
 * cell whose grid values changed between two runs of the sweep is a different cell.
 */
export function cellIdentity(sweep: SweepFile, cell: SweepCell): BundleCell {
  return {
    sweepId: sweep.name,
    index: cell.index,
    configHash: crypto.createHash('sha256').update(canonicalJson(cell.config)).digest('hex').slice(0, 16)
  }
}

/** Parses a sweep file's JSON; every cell is checked so that a bad grid fails before any task starts. */
export function parseSweepFile(json: unknown, source = 'the sweep file'): SweepFile {
  const parsed = SweepFileSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`${source}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`)
  }
  const sweep = parsed.data
  if (sweep.evaluate) checkEvaluation(sweep.evaluate, source)
  const total = cellCount(sweep)
  if (total > 10_000) throw new Error(`${source}: the grid has ${total} cells; split it into sweeps of at most 10,000.`)
  for (let i = 0; i < total; i++) {
    try {
      checkTaskCanRun(sweep, sweepCell(sweep, i))
    } catch (error) {
      throw new Error(`${source}: ${(error as Error).message}`)
    }
  }
  return sweep
}

/**
 * A task starts with a fresh log on its node: only the built-in datasets and those the sweep lists
 * under "datasets" exist there, and no earlier run or project does. A cell naming one would fail
 * on every node, so it is refused here, before anything is emitted or trained.
 */
function checkTaskCanRun(sweep: SweepFile, cell: SweepCell): void {
  const where = `cell ${cell.index} (${cell.label})`
  const config = cell.config as Record<string, unknown>
  for (const key of ['teacherRunId', 'projectId'] as const) {
    if (config[key] !== undefined)
      throw new Error(
        `${where}: ${key} = ${JSON.stringify(config[key])} names a ${key === 'projectId' ? 'project' : 'run'} of this log, but each task starts with a fresh log of its own${key === 'teacherRunId' ? '; give "teacher" (a training config) to train the teacher in the cell' : ''}.`
      )
  }
  const trainings =
    sweep.kind === 'distill'
      ? [
          ['student', (cell.config as DistillConfig).student],
          ['teacher', (cell.config as DistillConfig).teacher]
        ]
      : [['', cell.config as TrainConfig]]
  const known = [...BUILTIN_DATASETS.map((d) => d.name), ...Object.keys(sweep.datasets)]
  for (const [prefix, training] of trainings as Array<[string, { dataset: string } | undefined]>) {
    if (!training || known.some((name) => name.toLowerCase() === training.dataset.trim().toLowerCase())) continue
    throw new Error(
      `${where}: ${prefix ? `${prefix}.` : ''}dataset "${training.dataset}" is neither a built-in dataset (${BUILTIN_DATASETS.map((d) => d.name).join(', ')}) nor listed in the sweep's "datasets"; each task starts with a fresh log, so list it there with its path as the tasks see it, e.g. "datasets": { ${JSON.stringify(training.dataset)}: "/shared/data/${training.dataset}" }.`
    )
  }
}

/**
 * The evaluation part is checked before any cell trains, so a misspelled attack or setting, or an
 * ε outside its norm's range, cannot cost a training run first. (L2's bound needs the images' size,
 * which only the trained model's dataset tells: sweep.start checks it.)
 */
function checkEvaluation(evaluate: NonNullable<SweepFile['evaluate']>, source: string): void {
  evaluate.epsilons.forEach((epsilon, i) => {
    const problem = checkEpsilon(epsilon as number, evaluate.norm, null, `evaluate.epsilons.${i}`)
    if (problem) throw new Error(`${source}: ${problem}`)
  })
  evaluate.attacks.forEach((choice, i) => {
    try {
      checkAttackChoice(choice, evaluate.norm, undefined, `evaluate.attacks.${i}.attack`)
    } catch (error) {
      throw new Error(`${source}: evaluate.attacks.${i}: ${(error as Error).message}`)
    }
  })
}
