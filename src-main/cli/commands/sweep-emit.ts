/**
 * Sweeps beyond one machine:
 *   lab sweep emit <sweep.json> --target slurm|k8s --out DIR   Slurm array job scripts / a K8s Indexed Job
 *   lab sweep cell <sweep.json> [--index i] --out DIR          run one cell, write its run bundle
 *   lab sweep merge DIR                                        import every bundle in DIR (idempotent)
 *   lab sweep local <sweep.json>                               every cell in this log (the in-app sweep)
 *   lab sweep cells <sweep.json>                               list the cells
 * The cell index comes from --index, else SLURM_ARRAY_TASK_ID, else JOB_COMPLETION_INDEX.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Command, CliContext } from '../command'
import { UsageError } from '../args'
import { BACKEND_CHOICES } from '../../api/backends'
import { readConfigFile } from '../config-file'
import { cellCount, cellIdentity, parseSweepFile, sweepCell, type SweepFile } from '../../lab/sweeps/sweep-file'
import { emitDefaults, jobName, PULL_POLICIES, slurmTimeSeconds, type EmitOptions } from '../../lab/sweeps/emit'
import { clusterMaxArraySize, shellQuote, slurmPathProblem, slurmScripts } from '../../lab/sweeps/slurm'
import { kubernetesManifest, submissionSuffix } from '../../lab/sweeps/kubernetes'
import { runSweepCell, runSweepLocally } from '../../lab/sweeps/run-cell'
import { BUNDLE_SUFFIX, bundlesIn, mergeBundles } from '../../lab/sweeps/merge'
import { networkFileSystem } from '../../lab/store/network-fs'

function readSweep(positionals: string[]): { sweep: SweepFile; raw: Record<string, unknown> } {
  if (positionals.length !== 1) throw new UsageError('Give exactly one sweep file (JSON or YAML).')
  const file = path.resolve(positionals[0])
  const raw = readConfigFile(file)
  try {
    return { sweep: parseSweepFile(raw, file), raw }
  } catch (error) {
    if (error instanceof UsageError) throw error
    throw new UsageError((error as Error).message)
  }
}

/** A whole-number option: Slurm's --cpus-per-task, --mem and --gres take no fractions. */
function wholeNumberOption(options: Record<string, string | boolean>, key: string, fallback: number, min: number): number {
  const v = options[key]
  if (v === undefined) return fallback
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN
  if (!Number.isSafeInteger(n) || n < min)
    throw new UsageError(
      `--${key} must be a whole number ≥ ${min}, not "${String(v)}" (Slurm and Kubernetes here take whole CPUs, GiB and GPUs).`
    )
  return n
}

function stringOption(options: Record<string, string | boolean>, key: string): string | undefined {
  const v = options[key]
  if (v === undefined) return undefined
  if (typeof v !== 'string' || !v.trim()) throw new UsageError(`--${key} needs a value.`)
  return v
}

function emitOptions(options: Record<string, string | boolean>, out: string, target: 'slurm' | 'k8s'): EmitOptions {
  const gpus = wholeNumberOption(options, 'gpus', 0, 0)
  const defaults = emitDefaults(gpus)
  const time = stringOption(options, 'time') ?? defaults.time
  const seconds = slurmTimeSeconds(time)
  if (seconds === null || seconds < 1) throw new UsageError(`--time must look like Slurm's HH:MM:SS or D-HH:MM:SS, not "${time}".`)
  const pull = stringOption(options, 'pull') ?? defaults.pullPolicy
  if (!(PULL_POLICIES as readonly string[]).includes(pull))
    throw new UsageError(`--pull must be one of ${PULL_POLICIES.join(', ')}, not "${pull}".`)
  const backend = stringOption(options, 'backend') ?? defaults.backend
  if (!(BACKEND_CHOICES as readonly string[]).includes(backend))
    throw new UsageError(`--backend must be one of ${BACKEND_CHOICES.join(', ')}, not "${backend}".`)
  const partition = stringOption(options, 'partition')
  if (partition !== undefined && !/^[A-Za-z0-9_.,-]+$/.test(partition))
    throw new UsageError(`--partition "${partition}" is not a Slurm partition name (letters, digits, _ . , -).`)
  const o: EmitOptions = {
    ...defaults,
    // The tasks read sweep.json and write bundles here; by default the output folder itself.
    shared: stringOption(options, 'shared') ?? out,
    backend,
    image: stringOption(options, 'image') ?? defaults.image,
    pullPolicy: pull as EmitOptions['pullPolicy'],
    claim: stringOption(options, 'claim') ?? defaults.claim,
    cpus: wholeNumberOption(options, 'cpus', defaults.cpus, 1),
    memoryGiB: wholeNumberOption(options, 'mem', defaults.memoryGiB, 1),
    parallel: wholeNumberOption(options, 'parallel', defaults.parallel, 0),
    time,
    partition
  }
  // A Kubernetes mountPath is absolute; Slurm's directives also cannot carry quotes or backslashes.
  const problem =
    target === 'slurm'
      ? slurmPathProblem(o.shared)
      : o.shared.startsWith('/')
        ? null
        : `--shared must be an absolute path as the pods see it (the volume's mountPath), not "${o.shared}".`
  if (problem) throw new UsageError(problem)
  return o
}

/**
 * The folders Slurm needs before the first task starts (it opens the log files itself), made here
 * when the shared folder is reachable from this machine; null when it is not, with the command to
 * run where it is.
 */
function makeSharedFolders(shared: string): string | null {
  try {
    for (const dir of ['logs', 'bundles']) fs.mkdirSync(path.join(shared, dir), { recursive: true })
    return null
  } catch (error) {
    return `mkdir -p ${shellQuote(path.join(shared, 'logs'))} ${shellQuote(path.join(shared, 'bundles'))}   (could not be made here: ${(error as Error).message})`
  }
}

export const sweepEmitCommand: Command = {
  words: ['sweep', 'emit'],
  usage:
    'lab sweep emit <sweep.json> --target slurm|k8s --out DIR [--shared DIR] [--backend B] [--image IMG] [--pull IfNotPresent|Always|Never] [--claim PVC] [--gpus N] [--cpus N] [--mem GiB] [--time HH:MM:SS] [--parallel N] [--partition P] [--max-array-size N]',
  summary: 'Write Slurm array jobs or a Kubernetes Indexed Job running one sweep cell per task.',
  options: {
    values: [
      'target',
      'out',
      'shared',
      'backend',
      'image',
      'pull',
      'claim',
      'gpus',
      'cpus',
      'mem',
      'time',
      'parallel',
      'partition',
      'max-array-size'
    ]
  },
  async run({ positionals, options }, ctx) {
    const { sweep, raw } = readSweep(positionals)
    const target = options.target
    if (target !== 'slurm' && target !== 'k8s') throw new UsageError('--target must be slurm or k8s.')
    if (typeof options.out !== 'string') throw new UsageError('Give the folder to write to with --out, e.g. --out cluster/.')
    const out = path.resolve(options.out)
    const o = emitOptions(options, out, target)
    const cells = cellCount(sweep)
    const maxArray =
      options['max-array-size'] !== undefined
        ? { value: wholeNumberOption(options, 'max-array-size', 0, 1), source: '--max-array-size' }
        : target === 'slurm'
          ? clusterMaxArraySize()
          : null
    fs.mkdirSync(out, { recursive: true })
    // The tasks read the sweep from the shared folder, so a copy (as JSON) goes beside the script.
    fs.writeFileSync(path.join(out, 'sweep.json'), JSON.stringify(raw, null, 2) + '\n')
    const written: string[] = []
    if (target === 'slurm') {
      for (const s of slurmScripts(sweep, cells, o, maxArray!.value)) {
        written.push(path.join(out, s.file))
        fs.writeFileSync(path.join(out, s.file), s.script, { mode: 0o755 })
      }
    } else {
      written.push(path.join(out, `${jobName(sweep)}.k8s.yaml`))
      fs.writeFileSync(written[0], kubernetesManifest(sweep, cells, o, submissionSuffix()))
    }
    const mkdir = target === 'slurm' ? makeSharedFolders(o.shared) : null
    const submit = target === 'slurm' ? written.map((f) => `sbatch ${shellQuote(f)}`) : [`kubectl apply -f ${shellQuote(written[0])}`]
    if (ctx.json)
      ctx.out(
        JSON.stringify(
          {
            paths: written,
            sweep: path.join(out, 'sweep.json'),
            cells,
            target,
            maxArraySize: maxArray,
            first: mkdir,
            submit,
            merge: `lab sweep merge ${shellQuote(path.join(o.shared, 'bundles'))}`
          },
          null,
          2
        )
      )
    else {
      ctx.out(`Wrote ${written.join(', ')} (${cells} cell${cells === 1 ? '' : 's'}) and ${path.join(out, 'sweep.json')}.`)
      if (maxArray && written.length > 1)
        ctx.out(
          `The sweep is split into ${written.length} array jobs: the cluster's MaxArraySize is ${maxArray.value} (from ${maxArray.source}).`
        )
      if (mkdir) ctx.out(`First, where the shared folder is reachable: ${mkdir}`)
      if (target === 'k8s') ctx.out(`sweep.json must be at ${o.shared}/sweep.json on the volume "${o.claim}" (ReadWriteMany).`)
      ctx.out(`Submit:`)
      for (const line of submit) ctx.out(`  ${line}`)
      ctx.out(`Then merge the results: lab sweep merge ${shellQuote(path.join(o.shared, 'bundles'))}`)
      // The merged log is SQLite in WAL mode, which a network file system (a cluster's usual home) does not support.
      ctx.out(`  (it merges into the log of --data-dir or $ADVLAB_DATA_DIR, else ~/.advlab: keep that on a local disk, not NFS)`)
    }
    return 0
  }
}

function cellIndex(options: Record<string, string | boolean>): number {
  const raw = typeof options.index === 'string' ? options.index : (process.env.SLURM_ARRAY_TASK_ID ?? process.env.JOB_COMPLETION_INDEX)
  if (raw === undefined) throw new UsageError('Give the cell with --index N (or run as a Slurm array task / Kubernetes Indexed Job pod).')
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`The cell index must be a whole number ≥ 0, not "${raw}".`)
  return n
}

export const sweepCellCommand: Command = {
  words: ['sweep', 'cell'],
  usage: 'lab sweep cell <sweep.json> [--index N] --out DIR [--json]',
  summary: 'Run one cell of a sweep (train + evaluate) and write its runs as a bundle to DIR.',
  options: { values: ['index', 'out'] },
  async run({ positionals, options }, ctx) {
    const { sweep } = readSweep(positionals)
    const index = cellIndex(options)
    if (index >= cellCount(sweep))
      throw new UsageError(`Cell ${index} does not exist: the sweep has ${cellCount(sweep)} cells (0…${cellCount(sweep) - 1}).`)
    if (typeof options.out !== 'string') throw new UsageError('Give the folder for the bundle with --out.')
    const out = path.resolve(options.out)
    fs.mkdirSync(out, { recursive: true })
    const result = await runSweepCell(ctx.api, sweep, index, ctx.json ? undefined : ctx.err)
    // The runs leave even when the cell failed (a trained model whose evaluation failed is kept);
    // only a cell that made no run at all has nothing to write.
    const bundlePath = path.join(out, `${jobName(sweep)}-cell-${String(index).padStart(4, '0')}${BUNDLE_SUFFIX}`)
    const cell = cellIdentity(sweep, sweepCell(sweep, index))
    const bundle = result.runIds.length
      ? await ctx.api.request('export.bundle', {
          ids: result.runIds,
          path: bundlePath,
          cell,
          ...(result.error ? { error: result.error.slice(0, 20_000) } : {})
        })
      : null
    const wrote = bundle
      ? `wrote ${bundle.path} (${bundle.runs} run${bundle.runs === 1 ? '' : 's'})`
      : 'it made no run, so no bundle was written'
    if (ctx.json) ctx.out(JSON.stringify({ ...result, bundle }, null, 2))
    else ctx.out(`Cell ${index} (${result.label}) ${result.ok ? 'completed' : `failed: ${result.error}`}; ${wrote}.`)
    return result.ok ? 0 : 1
  }
}

export const sweepMergeCommand: Command = {
  words: ['sweep', 'merge'],
  usage: 'lab sweep merge <folder of bundles> [--json]',
  summary:
    'Import every .advlab.zip bundle in a folder (runs already here are skipped, re-run cells replace their earlier result, damaged bundles are reported).',
  async run({ positionals }, ctx) {
    if (positionals.length !== 1) throw new UsageError('Give the folder the sweep tasks wrote their bundles to.')
    const dir = path.resolve(positionals[0])
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`${dir} is not a folder.`)
    if (!bundlesIn(dir).length) throw new UsageError(`${dir} holds no ${BUNDLE_SUFFIX} bundles.`)
    // The log (in the data directory) was opened with a rollback journal if it sits on a network
    // file system (store/open.ts), by the same test as this one.
    const { dataDir } = await ctx.api.request('settings.get', {})
    const network = networkFileSystem(dataDir)
    const journal = network
      ? `The log in ${dataDir} is on a network file system (${network}), where SQLite's WAL mode does not work: this merge uses a rollback journal (journal_mode = DELETE). Let no other AdvLab write to this log meanwhile; a log on a local disk (--data-dir) is faster.`
      : null
    if (journal) ctx.err(`Warning: ${journal}`)
    const report = await mergeBundles(
      ctx.api,
      dir,
      ctx.json || !ctx.interactive ? undefined : (_b, done, total) => process.stderr.write(`\rmerging bundle ${done} of ${total}`)
    )
    if (!ctx.json && ctx.interactive) ctx.err('')
    if (ctx.json) ctx.out(JSON.stringify({ ...report, journal: network ? 'delete' : 'wal', networkFileSystem: network }, null, 2))
    else {
      const also = [
        report.replaced ? `${report.replaced} earlier result(s) of re-run cells moved to the trash` : '',
        report.superseded ? `${report.superseded} run(s) older than their cell's result here left out` : ''
      ]
      ctx.out(
        `Merged ${report.bundles - report.failed.length} of ${report.bundles} bundle(s): ${report.imported} run(s) imported, ${report.skipped} already here${also
          .filter(Boolean)
          .map((t) => `, ${t}`)
          .join('')}.`
      )
      if (journal) ctx.out(`Journal: rollback (journal_mode = DELETE), because the log is on ${network}.`)
      for (const f of report.failed) ctx.out(`Not imported: ${f.error}`)
      if (report.runIds.length) ctx.out(`Compare them: lab compare ${report.runIds.join(',')}`)
    }
    return report.failed.length ? 1 : 0
  }
}

export const sweepLocalCommand: Command = {
  words: ['sweep', 'local'],
  usage: 'lab sweep local <sweep.json> [--json]',
  summary: 'Run every cell of a sweep here, one after another, in this log.',
  async run({ positionals }, ctx: CliContext) {
    const { sweep } = readSweep(positionals)
    const results = await runSweepLocally(ctx.api, sweep, cellCount(sweep), ctx.json ? undefined : ctx.err)
    if (ctx.json) ctx.out(JSON.stringify(results, null, 2))
    else
      for (const r of results)
        ctx.out(`cell ${r.index} ${r.ok ? 'completed' : `failed: ${r.error}`}: runs ${r.runIds.join(', ')} (${r.label})`)
    return results.every((r) => r.ok) ? 0 : 1
  }
}

export const sweepCellsCommand: Command = {
  words: ['sweep', 'cells'],
  usage: 'lab sweep cells <sweep.json> [--json]',
  summary: 'List the cells of a sweep file (index and the values it varies).',
  async run({ positionals }, ctx) {
    const { sweep } = readSweep(positionals)
    const cells = Array.from({ length: cellCount(sweep) }, (_, i) => sweepCell(sweep, i))
    if (ctx.json)
      ctx.out(
        JSON.stringify(
          cells.map((c) => ({ index: c.index, label: c.label, values: c.values })),
          null,
          2
        )
      )
    else for (const c of cells) ctx.out(`${String(c.index).padStart(4)}  ${c.label}`)
    return 0
  }
}

export const sweepCommands: readonly Command[] = [
  sweepEmitCommand,
  sweepCellCommand,
  sweepMergeCommand,
  sweepLocalCommand,
  sweepCellsCommand
]
