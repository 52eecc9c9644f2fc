/**
 * lab attack / eval / sweep / wrap / results: attacks on trained models, full robustness
 * evaluations with the gradient-masking verdict, sweeps over models × attacks × ε, defence layers
 * around a trained model, and a model's results table. ε accepts fractions such as 8/255.
 */
import type { Command, CliContext } from '../command'
import type { RunSummary } from '../../api/runs'
import type { EvaluationRow } from '../../api/evaluation'
import { LabError } from '../../api/errors'
import { UsageError } from '../args'
import { readConfigFile } from '../config-file'
import { waitForRun } from '../wait-for-run'
import { parseEpsilon, formatEpsilon } from '../../api/epsilon'
import { ATTACK_DECLARATIONS, ATTACK_IDS, parseAttackSettings } from '../../api/attacks'
import { statText } from '../../api/results-text'

export function runIdArg(positionals: string[], what: string): number {
  const id = Number(positionals[0])
  if (positionals.length !== 1 || !Number.isInteger(id) || id < 1) throw new UsageError(`Give the id of the ${what} (see lab runs).`)
  return id
}

export function integer(options: Record<string, string | boolean>, name: string): number | undefined {
  const raw = options[name]
  if (raw === undefined) return undefined
  const v = Number(raw)
  if (typeof raw !== 'string' || !Number.isInteger(v) || v < 0)
    throw new UsageError(`Option --${name} must be a whole number (got ${String(raw)}).`)
  return v
}

function epsilonOption(options: Record<string, string | boolean>, name: string): number | undefined {
  const raw = options[name]
  if (raw === undefined) return undefined
  try {
    return parseEpsilon(String(raw), name)
  } catch (error) {
    throw new UsageError(error instanceof LabError ? error.message : String(error))
  }
}

/** Attack settings from --steps/--restarts/--queries/--step-size/--loss/--version and --settings '{…}'. */
function attackSettings(options: Record<string, string | boolean>): Record<string, unknown> {
  let settings: Record<string, unknown> = {}
  if (typeof options.settings === 'string') {
    try {
      settings = JSON.parse(options.settings)
    } catch {
      throw new UsageError(`--settings must be a JSON object, e.g. '{"steps": 40}' (got ${options.settings}).`)
    }
  }
  for (const name of ['steps', 'restarts', 'queries']) {
    const v = integer(options, name)
    if (v !== undefined) settings[name] = v
  }
  const stepSize = epsilonOption(options, 'step-size')
  if (stepSize !== undefined) settings.stepSize = stepSize
  for (const name of ['loss', 'version']) if (typeof options[name] === 'string') settings[name] = options[name]
  return settings
}

export function formatRows(rows: EvaluationRow[]): string[] {
  const lines = [
    `${'attack'.padEnd(18)} ${'norm'.padEnd(5)} ${'ε'.padEnd(8)} ${'n'.padStart(6)}  ${'accuracy'.padEnd(18)} ${'δ (abs / rel)'}`
  ]
  for (const r of rows) {
    // The results table's words (mean ± std over seeds, api/results-table), and a partial result said as such.
    const acc = `${statText(r.accuracy, r.std, r.seeds)}${r.partialStatus ? ` partial (${r.partialStatus})` : ''}`
    const drop =
      r.drop === null ? '' : `${(r.drop * 100).toFixed(2)} / ${r.relativeDrop === null ? '—' : `${(r.relativeDrop * 100).toFixed(1)}%`}`
    lines.push(
      `${r.attack.padEnd(18)} ${r.norm.padEnd(5)} ${(r.attack === 'clean' ? '' : formatEpsilon(r.epsilon)).padEnd(8)} ${String(r.n).padStart(6)}  ${acc.padEnd(18)} ${drop}`
    )
  }
  return lines
}

export async function report(ctx: CliContext, evalRun: RunSummary, modelRunIds: number[]): Promise<number> {
  if (!ctx.json) ctx.err(`Run ${evalRun.id} "${evalRun.name}" queued.`)
  const final = await waitForRun(ctx.api, evalRun.id, { interactive: ctx.interactive, err: ctx.err, quiet: ctx.json })
  const models = []
  for (const runId of modelRunIds) models.push({ runId, ...(await ctx.api.request('evaluations.list', { runId })) })
  const mine = models.map((m) => ({ ...m, rows: m.rows.filter((r) => r.evalRunId === evalRun.id) }))
  if (ctx.json) ctx.out(JSON.stringify({ run: final, models: mine }, null, 2))
  else {
    ctx.out(`Run ${final.id} ${final.status}${final.error ? `: ${final.error}` : ''}.`)
    for (const m of mine) {
      ctx.out(`\nModel run ${m.runId}:`)
      for (const line of formatRows(m.rows)) ctx.out(`  ${line}`)
      if (m.verdict && m.verdict.evalRunId === evalRun.id) {
        ctx.out(
          `  suspected gradient masking: ${m.verdict.verdict}${m.verdict.fired.length ? ` (checks ${m.verdict.fired.join(', ')} fired)` : ''}`
        )
        for (const c of m.verdict.checks) ctx.out(`    ${c.id}. ${c.status.padEnd(8)} ${c.name}: ${c.summary}`)
      }
      for (const s of m.scores.filter((s) => s.evalRunId === evalRun.id))
        ctx.out(`  ${s.metric} (${s.norm}): ${s.value === null ? '—' : Number(s.value.toPrecision(4))}`)
    }
  }
  return final.status === 'completed' ? 0 : 1
}

export async function call<T>(ctx: CliContext, method: string, params: unknown): Promise<T> {
  const response = await ctx.api.call(method, params)
  if (!response.ok) throw new UsageError(response.error.message)
  return response.result as T
}

const COMMON = ['n', 'repeats', 'seed', 'workers', 'surrogate', 'name', 'project', 'norm']

function common(options: Record<string, string | boolean>) {
  return {
    ...(integer(options, 'n') !== undefined ? { n: integer(options, 'n') } : {}),
    ...(integer(options, 'repeats') !== undefined ? { repeats: integer(options, 'repeats') } : {}),
    ...(integer(options, 'seed') !== undefined ? { seed: integer(options, 'seed') } : {}),
    ...(integer(options, 'workers') !== undefined ? { workers: integer(options, 'workers') } : {}),
    ...(integer(options, 'surrogate') !== undefined ? { surrogateRunId: integer(options, 'surrogate') } : {}),
    ...(integer(options, 'project') !== undefined ? { projectId: integer(options, 'project') } : {}),
    ...(typeof options.name === 'string' ? { name: options.name } : {}),
    ...(typeof options.norm === 'string' ? { norm: options.norm } : {})
  }
}

export const attackCommand: Command = {
  words: ['attack'],
  usage:
    'lab attack <run> --attack <id> --eps 8/255 [--n 1000] [--norm Linf|L2] [--steps k] [--settings JSON] [--surrogate <run>] [--repeats k] [--json]',
  summary: `Attack a trained model on test images (${ATTACK_IDS.join(', ')}; settings: lab attacks); prints accuracy under attack (mean ± std over repeats).`,
  options: { values: ['attack', 'eps', 'steps', 'restarts', 'queries', 'step-size', 'loss', 'version', 'settings', ...COMMON] },
  async run({ positionals, options }, ctx) {
    const runId = runIdArg(positionals, 'model run to attack')
    if (typeof options.attack !== 'string')
      throw new UsageError(`Name the attack with --attack: ${ATTACK_IDS.join(', ')} (lab attacks describes each).`)
    const epsilon = epsilonOption(options, 'eps')
    if (epsilon === undefined) throw new UsageError('Give the perturbation budget with --eps, e.g. --eps 8/255.')
    const run = await call<RunSummary>(ctx, 'attack.start', {
      runId,
      attack: options.attack,
      epsilon,
      settings: attackSettings(options),
      ...common(options)
    })
    return report(ctx, run, [runId])
  }
}

export const evalCommand: Command = {
  words: ['eval'],
  usage:
    'lab eval <run> [--suite full] [--budget quick|standard|thorough] [--eps 0.3] [--n 1000] [--surrogate <run>] [--repeats k] [--spatial] [--json]',
  summary:
    'Full robustness evaluation: clean, FGSM, PGD, AutoAttack, Square, ε-curve, IBP, Lipschitz, CLEVER and the gradient-masking verdict (--spatial adds the spatial attacks of Engstrom et al.).',
  options: { values: ['suite', 'budget', 'eps', ...COMMON], flags: ['spatial'] },
  async run({ positionals, options }, ctx) {
    const runId = runIdArg(positionals, 'model run to evaluate')
    const epsilon = epsilonOption(options, 'eps')
    const run = await call<RunSummary>(ctx, 'eval.start', {
      runId,
      ...(typeof options.suite === 'string' ? { suite: options.suite } : {}),
      ...(typeof options.budget === 'string' ? { budget: options.budget } : {}),
      ...(epsilon !== undefined ? { epsilon } : {}),
      ...(options.spatial === true ? { spatial: true } : {}),
      ...common(options)
    })
    return report(ctx, run, [runId])
  }
}

export const sweepCommand: Command = {
  words: ['sweep'],
  usage: 'lab sweep <sweep.json|yaml> [--json]',
  summary: 'Attack several models with several attacks over an ε grid (runIds, attacks, epsilons such as "8/255", n, repeats).',
  async run({ positionals }, ctx) {
    if (positionals.length !== 1) throw new UsageError('Give exactly one sweep file (JSON or YAML).')
    const config = readConfigFile(positionals[0])
    const response = await ctx.api.call('sweep.start', config)
    if (!response.ok) throw new UsageError(`${positionals[0]}: ${response.error.message}`)
    return report(ctx, response.result as RunSummary, (config.runIds as number[]) ?? [])
  }
}

export const wrapCommand: Command = {
  words: ['wrap'],
  usage:
    'lab wrap <run> --defence gradient-truncation|quantisation|random-resize [--levels 8] [--scale 0] [--min-scale 0.8] [--noise 0] [--json]',
  summary: 'A new model run: a trained model behind a gradient-masking toy layer (no training), to evaluate and compare.',
  options: { values: ['defence', 'levels', 'scale', 'min-scale', 'noise', 'name'] },
  async run({ positionals, options }, ctx) {
    const runId = runIdArg(positionals, 'model run to wrap')
    const kind = options.defence
    const num = (name: string) => (typeof options[name] === 'string' ? Number(options[name]) : undefined)
    const defence =
      kind === 'gradient-truncation'
        ? { kind, ...(num('scale') !== undefined ? { backwardScale: num('scale') } : {}) }
        : kind === 'quantisation'
          ? { kind, ...(num('levels') !== undefined ? { levels: num('levels') } : {}) }
          : kind === 'random-resize'
            ? {
                kind,
                ...(num('min-scale') !== undefined ? { minScale: num('min-scale') } : {}),
                ...(num('noise') !== undefined ? { noiseStd: num('noise') } : {})
              }
            : null
    if (!defence) throw new UsageError('Choose --defence gradient-truncation, quantisation or random-resize.')
    const run = await call<RunSummary>(ctx, 'defences.wrap', {
      runId,
      defence,
      ...(typeof options.name === 'string' ? { name: options.name } : {})
    })
    if (ctx.json) ctx.out(JSON.stringify(run, null, 2))
    else ctx.out(`Run ${run.id} "${run.name}" is ready to evaluate: lab eval ${run.id}`)
    return 0
  }
}

export const resultsCommand: Command = {
  words: ['results'],
  usage: 'lab results <run> [--json]',
  summary: "A model run's accuracy under every attack and ε evaluated, its scores and its latest masking verdict.",
  async run({ positionals }, ctx) {
    const runId = runIdArg(positionals, 'model run')
    const r = await ctx.api.request('evaluations.list', { runId })
    if (ctx.json) ctx.out(JSON.stringify(r, null, 2))
    else if (r.rows.length === 0) ctx.out(`Run ${runId} has no evaluation yet. Start one with: lab eval ${runId}`)
    else {
      for (const line of formatRows(r.rows)) ctx.out(line)
      for (const s of r.scores) ctx.out(`${s.metric} (${s.norm}): ${s.value === null ? '—' : Number(s.value.toPrecision(4))}`)
      if (r.verdict)
        ctx.out(
          `suspected gradient masking: ${r.verdict.verdict}${r.verdict.fired.length ? ` (checks ${r.verdict.fired.join(', ')} fired)` : ''}`
        )
    }
    return 0
  }
}

/**
 * "steps 10, stepSize 0.25·ε, …": each setting with the default its declaration fills in. A default
 * its resolve derives is shown by resolving it at two ε (proportional to ε) or two class counts.
 */
function settingsLine(declaration: (typeof ATTACK_DECLARATIONS)[number]): string {
  if (declaration.settingNames.length === 0) return 'no settings'
  const parsed = parseAttackSettings(declaration, {}) as Record<string, unknown>
  const at = (epsilon: number, numClasses: number) => declaration.resolve(parsed, { epsilon, numClasses }) as Record<string, unknown>
  const [one, two, few] = [at(1, 10), at(2, 10), at(1, 4)]
  return declaration.settingNames
    .map((name) => {
      if (parsed[name] !== undefined) return `${name} ${JSON.stringify(parsed[name])}`
      if (one[name] !== two[name]) return `${name} ${Number(Number(one[name]).toPrecision(4))}·ε`
      if (one[name] !== few[name]) return `${name} ${String(one[name])} (at most classes − 1)`
      return name
    })
    .join(', ')
}

export const attacksCommand: Command = {
  words: ['attacks'],
  usage: 'lab attacks [--json]',
  summary: 'The attacks lab attack and sweeps can run: paper, norms, settings and their defaults.',
  async run(_args, ctx) {
    if (ctx.json) {
      const list = ATTACK_DECLARATIONS.map((d) => ({
        id: d.id,
        paper: d.paper,
        norms: d.norms,
        description: d.description,
        settings: parseAttackSettings(d, {})
      }))
      ctx.out(JSON.stringify(list, null, 2))
      return 0
    }
    for (const d of ATTACK_DECLARATIONS) {
      ctx.out(`${d.id} (${d.norms.join(', ')})`)
      ctx.out(`  ${d.description}`)
      ctx.out(`  settings: ${settingsLine(d)}`)
      ctx.out(`  paper: ${d.paper}`)
    }
    return 0
  }
}

export const evaluationCommands: readonly Command[] = [
  attacksCommand,
  attackCommand,
  evalCommand,
  sweepCommand,
  wrapCommand,
  resultsCommand
]
