/**
 * `npm run bench [-- <section>…] [--vs-torch] [--budget <ms>]`
 *
 * Sections: engine (default: one thread, and N worker threads as the app runs them, N = cores or
 * --workers), memory (resnet18 training at batch 128), startup (lab --help and lab status start times, --runs N),
 * merge (lab sweep merge of 1,000 cnn-small bundles, then the same folder again).
 * Other sections register in SECTIONS. Results are printed as a
 * table and written as JSON to bench/results/.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { initEngine } from '../src-main/lab/engine/init'
import { benchCell, CELLS, WORKLOADS, type CellResult } from './engine'
import { appTrainer, benchParallelCell, trainingThroughput } from './parallel'
import * as tf from '@tensorflow/tfjs-core'

const here = path.dirname(fileURLToPath(import.meta.url))
const PYTHON = '/usr/bin/python3'

interface Args {
  sections: string[]
  vsTorch: boolean
  budgetMs: number
  /** Worker threads for the parallel columns (1 = none). */
  workers: number
  /** Starts per case in the startup section (the median is reported). */
  runs: number
}

function parseArgs(argv: string[]): Args {
  const args: Args = { sections: [], vsTorch: false, budgetMs: 2500, workers: os.availableParallelism(), runs: 7 }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--vs-torch') args.vsTorch = true
    else if (a === '--budget') args.budgetMs = Number(argv[++i])
    else if (a === '--workers') args.workers = Number(argv[++i])
    else if (a === '--runs') args.runs = Number(argv[++i])
    else if (!a.startsWith('-')) args.sections.push(a)
    else throw new Error(`unknown option ${a}`)
  }
  if (args.sections.length === 0) args.sections = ['engine']
  return args
}

function torchAvailable(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' })
  return r.status === 0 ? null : `${PYTHON} with torch not found`
}

async function engineSection(args: Args): Promise<object> {
  const backend = await initEngine()
  console.log(`engine benchmark on backend ${backend.name} (${backend.device}), images/s, median after warm-up`)
  // Each cell runs here and then (with --vs-torch) in PyTorch right after, so both sides see
  // about the same machine load; the 1-minute load average is recorded with every cell.
  const threads = os.availableParallelism()
  const torchNote = args.vsTorch ? torchAvailable() : null
  if (args.vsTorch && torchNote) console.log(`  --vs-torch: ${torchNote}; skipped`)
  const ours: CellResult[] = []
  const parallel: (CellResult | null)[] = []
  const theirs: (CellResult | null)[] = []
  const load: number[] = []
  let torchVersion: string | null = null
  let torchError: string | null = null
  for (const cell of CELLS) {
    process.stdout.write(`  ${cell.arch} ${cell.inputShape.join('×')} batch ${cell.batch} … `)
    load.push(os.loadavg()[0])
    ours.push(await benchCell(cell, args.budgetMs))
    if (args.workers > 1) process.stdout.write(`${args.workers} workers … `)
    parallel.push(args.workers > 1 ? await benchParallelCell(cell, args.workers, args.budgetMs) : null)
    if (args.vsTorch && !torchNote && !torchError) {
      process.stdout.write(`PyTorch (${threads} threads) … `)
      const r = spawnSync(
        PYTHON,
        [path.join(here, 'reference/torch_bench.py'), JSON.stringify({ threads, budget_ms: args.budgetMs, cells: [cell] })],
        {
          encoding: 'utf8',
          maxBuffer: 1 << 24
        }
      )
      if (r.status !== 0) torchError = `torch_bench.py failed: ${r.stderr.trim().split('\n').pop()}`
      else {
        const parsed = JSON.parse(r.stdout) as { torch: string; results: CellResult[] }
        torchVersion = parsed.torch
        theirs.push(parsed.results[0])
      }
    }
    console.log(torchError ?? `done (load average ${load[load.length - 1].toFixed(1)})`)
  }
  const torch = args.vsTorch && !torchNote && !torchError ? { torch: torchVersion!, threads, results: theirs as CellResult[] } : null
  const seedTraining = args.vsTorch && !torchNote && !torchError ? await seedTrainingRow(args, threads) : null
  const rows = CELLS.map((cell, i) => ({
    cell,
    advlab: ours[i],
    advlabParallel: parallel[i],
    torch: torch?.results[i] ?? null,
    loadAverage: load[i]
  }))
  printTable(rows, args.workers, torch !== null)
  if (seedTraining) {
    console.log(
      `resnet18 training at batch 128 (the seed's setting): AdvLab ${seedTraining.advlab.toFixed(1)} img/s on ${args.workers} worker(s), ` +
        `PyTorch ${seedTraining.torch.toFixed(1)} img/s → ${(seedTraining.advlab / seedTraining.torch).toFixed(2)}×`
    )
  }
  return {
    backend,
    cpus: threads,
    workers: args.workers,
    cells: rows,
    seedTraining,
    torch: torch ? { version: torch.torch, threads: torch.threads } : null,
    torchNote: torchNote ?? torchError
  }
}

/** resnet18 training steps at batch 128 (the seed study's batch), the app's way and in PyTorch. */
async function seedTrainingRow(args: Args, threads: number): Promise<{ advlab: number; torch: number } | null> {
  const cell = { arch: 'resnet18' as const, inputShape: [32, 32, 3] as [number, number, number], batch: 128, width: 1 }
  process.stdout.write('  resnet18 32×32×3 batch 128, training only … ')
  const advlab = await trainingThroughput(cell, args.workers, args.budgetMs)
  const r = spawnSync(
    PYTHON,
    [
      path.join(here, 'reference/torch_bench.py'),
      JSON.stringify({ threads, budget_ms: args.budgetMs, cells: [{ ...cell, workloads: ['train'] }] })
    ],
    { encoding: 'utf8' }
  )
  console.log('done')
  if (r.status !== 0) return null
  return { advlab, torch: (JSON.parse(r.stdout) as { results: CellResult[] }).results[0].train }
}

/**
 * One row per cell; per workload the images/s on one thread, on N workers, PyTorch's, and the
 * ratio of the app's figure (N workers where measured) to PyTorch's.
 */
function printTable(
  rows: { cell: (typeof CELLS)[number]; advlab: CellResult; advlabParallel: CellResult | null; torch: CellResult | null }[],
  workers: number,
  withTorch: boolean
): void {
  const fmt = (v: number): string => (v >= 100 ? v.toFixed(0) : v.toFixed(1))
  const n = workers > 1
  const header = [
    'model',
    'input',
    'batch',
    ...WORKLOADS.flatMap((w) => [`${w} ×1`, ...(n ? [`×${workers}`] : []), ...(withTorch ? ['torch', 'ratio'] : [])])
  ]
  const lines = rows.map(({ cell, advlab, advlabParallel, torch }) => [
    cell.arch,
    cell.inputShape.join('×'),
    String(cell.batch),
    ...WORKLOADS.flatMap((w) => {
      const app = advlabParallel ? advlabParallel[w] : advlab[w]
      return [
        fmt(advlab[w]),
        ...(advlabParallel ? [fmt(advlabParallel[w])] : []),
        ...(withTorch && torch ? [fmt(torch[w]), (app / torch[w]).toFixed(2) + '×'] : [])
      ]
    })
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)))
  const line = (cells: string[]): string => '| ' + cells.map((c, i) => c.padStart(widths[i])).join(' | ') + ' |'
  console.log(line(header))
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|')
  for (const l of lines) console.log(line(l))
}

/**
 * resnet18 training at batch 128 as the app runs it (data-parallel over --workers, default the
 * cores): resident memory of the whole process (every thread's wasm heap) and tensor count.
 */
async function memorySection(args: Args): Promise<object> {
  await initEngine()
  const cell = { arch: 'resnet18' as const, inputShape: [32, 32, 3] as [number, number, number], batch: 128, width: 1 }
  console.log(`memory: resnet18 32×32×3, batch 128, SGD-momentum training steps on ${args.workers} worker${args.workers > 1 ? 's' : ''}`)
  const trainer = await appTrainer(cell, args.workers)
  const steps = []
  try {
    for (let i = 1; i <= 4; i++) {
      const t0 = performance.now()
      await trainer.step()
      steps.push({
        step: i,
        seconds: (performance.now() - t0) / 1000,
        rssBytes: process.memoryUsage().rss,
        tensors: tf.memory().numTensors
      })
    }
  } finally {
    await trainer.close()
  }
  for (const s of steps)
    console.log(`  step ${s.step}: ${s.seconds.toFixed(1)} s, RSS ${(s.rssBytes / 2 ** 30).toFixed(2)} GiB, ${s.tensors} tensors`)
  return { workers: args.workers, steps, peakRssBytes: Math.max(...steps.map((s) => s.rssBytes)) }
}

/** Each section prints its own table and returns what goes into the JSON file. */
const SECTIONS: Record<string, (args: Args) => Promise<object>> = {
  engine: engineSection,
  memory: memorySection,
  store: () => import('./store').then((m) => m.storeSection()),
  data: () => import('./data').then((m) => m.dataSection()),
  certify: () => import('./certify').then((m) => m.certifySection()),
  startup: (args) => import('./startup').then((m) => m.startupSection(args.runs)),
  merge: () => import('./merge').then((m) => m.mergeSection())
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const unknown = args.sections.filter((s) => !SECTIONS[s])
  if (unknown.length) throw new Error(`unknown bench section "${unknown[0]}"; available: ${Object.keys(SECTIONS).join(', ')}`)
  const results: Record<string, object> = {}
  for (const s of args.sections) results[s] = await SECTIONS[s](args)
  const dir = path.join(here, 'results')
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), cpus: os.cpus().length, node: process.version, results }, null, 2))
  console.log(`results written to ${path.relative(process.cwd(), file)}`)
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
