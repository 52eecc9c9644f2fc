/**
 * `lab study run <preset>`, `lab study report <study>`, `lab study list`, `lab study save`: the
 * seed study (and its paper-sized version) from the terminal. `run` shows the estimated time on the
 * active backend before anything starts, then a progress bar per running run and one overall, and
 * exits non-zero when any run of the study failed.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Command, CliContext } from '../command'
import type { EventData } from '../../api/contract'
import type { StudySummary } from '../../api/studies'
import { STUDY_PRESETS, STUDY_REPORT_FORMATS, type StudyPresetId, type StudyReportFormat } from '../../api/studies'
import { UsageError } from '../args'
import { formatDuration, renderBar } from '../progress'
import { parseIds } from './log'

function positiveInt(value: string | boolean | undefined, option: string): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (typeof value !== 'string' || !Number.isInteger(n) || n < 1)
    throw new UsageError(`--${option} must be a positive whole number, not "${String(value)}".`)
  return n
}

/** A dataset as the user gives it: a folder or file (registered now, idempotently) or a registered name. */
async function datasetArg(value: string | boolean | undefined, ctx: CliContext): Promise<string | undefined> {
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new UsageError('--dataset needs a folder or the name of a registered dataset.')
  if (!fs.existsSync(value)) return value
  if (!ctx.json) ctx.err(`Registering ${path.resolve(value)} …`)
  const { dataset, created } = await ctx.api.request('datasets.register', { path: path.resolve(value) })
  if (!ctx.json) ctx.err(`${created ? 'Registered' : 'Already registered as'} "${dataset.name}".`)
  return dataset.name
}

/** Redraws the overall bar and one bar per running run on a terminal; plain lines otherwise. */
export class StudyProgress {
  private drawn = 0
  private lastDecile = -1

  constructor(
    private readonly interactive: boolean,
    private readonly write: (t: string) => void
  ) {}

  private labels = new Map<number, string>()

  update(e: EventData<'studies.progress'>): void {
    // The bar counts finished runs plus the share of the running ones; the runs themselves are in the message.
    const overall = renderBar({
      phase: 'overall',
      step: Math.round(e.fraction * 1000),
      total: 1000,
      etaSeconds: e.fraction > 0.02 ? (e.elapsedSeconds * (1 - e.fraction)) / e.fraction : null,
      message: `${e.done}/${e.total} runs done${e.failed ? `, ${e.failed} failed` : ''} · ${formatDuration(e.elapsedSeconds)}`
    }).replace(/ \d+\/1000/, '')
    // Runs that left the active set have ended: one permanent line each.
    const now = new Set(e.active.map((a) => a.runId))
    const ended = [...this.labels.entries()].filter(([id]) => !now.has(id)).map(([id, label]) => `ended run ${id}: ${label}`)
    for (const [id] of [...this.labels]) if (!now.has(id)) this.labels.delete(id)
    const started: string[] = []
    for (const a of e.active)
      if (!this.labels.has(a.runId)) {
        this.labels.set(a.runId, a.label)
        started.push(`started run ${a.runId}: ${a.label}`)
      }
    if (this.interactive) {
      const bars = [
        ...e.active
          .slice(0, 4)
          .map((a) => `${renderBar({ phase: a.phase.slice(0, 14), step: a.step, total: a.total, etaSeconds: null })}  ${a.label}`),
        overall
      ]
      const lines = [...ended, ...bars]
      // Move up over the previous bars, then write the ended runs (they stay) and the bars afresh.
      this.write(`${this.drawn ? `\x1b[${this.drawn}A` : ''}${lines.map((l) => `\r\x1b[2K${l}`).join('\n')}\n\x1b[J`)
      this.drawn = bars.length
      return
    }
    for (const line of [...ended, ...started]) this.write(`${line}\n`)
    const decile = Math.floor(e.fraction * 10)
    if (decile !== this.lastDecile || ended.length) {
      this.lastDecile = decile
      this.write(`${overall}\n`)
    }
  }
}

function waitForStudy(ctx: CliContext, id: number): Promise<StudySummary> {
  const printer = new StudyProgress(ctx.interactive, (t) => process.stderr.write(t))
  return new Promise((resolve) => {
    let finished = false
    const finish = async () => {
      const s = await ctx.api.request('studies.get', { id })
      if (s.status !== 'running' && !finished) {
        finished = true
        off()
        clearInterval(timer)
        process.off('SIGINT', onSigint)
        resolve(s)
      }
    }
    const off = ctx.api.on('studies.progress', (e) => {
      if (e.studyId !== id) return
      if (!ctx.json) printer.update(e)
      if (e.status !== 'running') void finish()
    })
    // A safety net: a progress event missed at the very end must not leave the CLI waiting.
    const timer = setInterval(() => void finish(), 5000)
    let interrupts = 0
    const onSigint = () => {
      interrupts += 1
      if (interrupts > 1) process.exit(130)
      ctx.err(`\nCancelling study ${id}… (Ctrl+C again to stop at once)`)
      void ctx.api.call('studies.cancel', { id })
    }
    process.on('SIGINT', onSigint)
  })
}

export const studyRunCommand: Command = {
  words: ['study', 'run'],
  usage:
    'lab study run seed-quick|seed-paper [--dataset <folder|name>] [--seeds N] [--train-images N] [--eval-images N] [--epochs N] [--workers N] [--estimate-only] [--name S] [--json]',
  summary: 'Reproduce the seed study: train, evaluate, report (estimated time shown first).',
  options: {
    values: ['dataset', 'seeds', 'train-images', 'test-images', 'eval-images', 'epochs', 'name', 'workers'],
    flags: ['estimate-only']
  },
  async run({ positionals, options }, ctx) {
    const preset = positionals[0]
    if (positionals.length !== 1 || !(STUDY_PRESETS as readonly string[]).includes(preset))
      throw new UsageError(`Give one preset: ${STUDY_PRESETS.join(' or ')}.`)
    const scale = {
      seeds: positiveInt(options.seeds, 'seeds'),
      trainImages: positiveInt(options['train-images'], 'train-images'),
      testImages: positiveInt(options['test-images'], 'test-images'),
      evalImages: positiveInt(options['eval-images'], 'eval-images'),
      epochs: positiveInt(options.epochs, 'epochs')
    }
    const params = {
      preset: preset as StudyPresetId,
      dataset: await datasetArg(options.dataset, ctx),
      scale: Object.fromEntries(Object.entries(scale).filter(([, v]) => v !== undefined)),
      name: typeof options.name === 'string' ? options.name : undefined,
      workers: positiveInt(options.workers, 'workers')
    }
    const { plan, estimate } = await ctx.api.request('studies.estimate', params)
    if (!ctx.json) {
      ctx.err(`${plan.title}: ${plan.arms.length} strategies × ${plan.seeds.length} seeds on ${plan.dataset} (${plan.arch}).`)
      ctx.err(
        `Estimated time on ${estimate.backend}: ${formatDuration(estimate.wallSeconds)} with ${estimate.workers} job(s) at once (work: training ${formatDuration(estimate.trainSeconds)}, evaluation ≤ ${formatDuration(estimate.evalSeconds)}).`
      )
      for (const p of estimate.parts) ctx.err(`  ${String(p.count).padStart(3)} × ${p.what}: ${formatDuration(p.secondsEach)} each`)
      ctx.err(`  ${estimate.note}`)
    }
    if (options['estimate-only']) {
      if (ctx.json) ctx.out(JSON.stringify({ plan, estimate }, null, 2))
      return 0
    }
    const started = await ctx.api.request('studies.start', params)
    if (!ctx.json) ctx.err(`Study ${started.id} "${started.name}" started.`)
    const final = await waitForStudy(ctx, started.id)
    const { report, text } = await ctx.api.request('studies.report', { id: started.id, format: 'md' })
    if (ctx.json) ctx.out(JSON.stringify({ study: final, estimate, report }, null, 2))
    else {
      ctx.out(text ?? '')
      ctx.out(`Study ${final.id} ${final.status} in ${formatDuration(final.seconds ?? 0)}${final.error ? `: ${final.error}` : ''}.`)
      ctx.out(`Report: lab study report ${final.id} --format html --out study-${final.id}.html`)
    }
    return final.status === 'completed' ? 0 : 1
  }
}

async function studyId(ref: string | undefined, ctx: CliContext): Promise<number> {
  if (!ref) throw new UsageError('Give a study id or name (see lab study list).')
  if (/^\d+$/.test(ref)) return Number(ref)
  const match = (await ctx.api.request('studies.list', {})).find((s) => s.name === ref || s.preset === ref)
  if (!match) throw new UsageError(`There is no study called "${ref}" (see lab study list).`)
  return match.id
}

export const studyReportCommand: Command = {
  words: ['study', 'report'],
  usage: 'lab study report <study> [--format md|html|csv|latex] [--out FILE] [--json]',
  summary: 'The study report: seed-shaped table (mean ± std), ε-curves, masking checks, reading.',
  options: { values: ['format', 'out'] },
  async run({ positionals, options }, ctx) {
    const id = await studyId(positionals[0], ctx)
    const format = (options.format ?? 'md') as StudyReportFormat
    if (!(STUDY_REPORT_FORMATS as readonly string[]).includes(format))
      throw new UsageError(`--format must be one of ${STUDY_REPORT_FORMATS.join(', ')}.`)
    const out = typeof options.out === 'string' ? path.resolve(options.out) : undefined
    const r = await ctx.api.request('studies.report', { id, format, path: out })
    if (ctx.json) ctx.out(JSON.stringify(r, null, 2))
    else if (r.path) ctx.out(`Wrote ${r.path}.`)
    else ctx.out((r.text ?? '').trimEnd())
    return 0
  }
}

export const studyListCommand: Command = {
  words: ['study', 'list'],
  usage: 'lab study list [--json]',
  summary: 'Studies in the log, newest first.',
  async run(_args, { api, json, out }) {
    const studies = await api.request('studies.list', {})
    if (json) out(JSON.stringify(studies, null, 2))
    else if (!studies.length) out('No studies yet. Start one with: lab study run seed-quick')
    else
      for (const s of studies)
        out(
          `${String(s.id).padStart(4)}  ${s.status.padEnd(11)} ${s.preset.padEnd(10)} ${s.runs.completed}/${s.runs.total} runs  ${s.seconds !== null ? formatDuration(s.seconds).padEnd(8) : ''.padEnd(8)} ${s.name}`
        )
    return 0
  }
}

export const studySaveCommand: Command = {
  words: ['study', 'save'],
  usage: 'lab study save <name> <run ids…> [--json]',
  summary: 'Save a custom study from model runs (repeats of one config become one row).',
  async run({ positionals }, { api, json, out }) {
    const [name, ...ids] = positionals
    if (!name || !ids.length) throw new UsageError('Give a name and the model runs, e.g. lab study save "my study" 3 4 5.')
    const s = await api.request('studies.save-from-runs', { name, runIds: parseIds(ids) })
    out(json ? JSON.stringify(s, null, 2) : `Saved study ${s.id} "${s.name}" with ${s.runs.total} runs. Report: lab study report ${s.id}`)
    return 0
  }
}

export const studyCommands: readonly Command[] = [studyRunCommand, studyReportCommand, studyListCommand, studySaveCommand]
