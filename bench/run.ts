/**
 * `npm run bench [-- <section>…] [--vs-torch] [--budget <ms>]`
 *
 * Sections: engine (default), parallel (1 vs 2 worker threads), memory (resnet18 training at
 * batch 128). Other sections register in SECTIONS. Results are printed as a
 * table and written as JSON to bench/results/.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { initEngine } from '../src-main/lab/engine/init'
import { benchCell, CELLS, trainingMemory, WORKLOADS, type CellResult } from './engine'
import { benchParallel } from './parallel'

const here = path.dirname(fileURLToPath(import.meta.url))
const PYTHON = '/usr/bin/python3'

interface Args {
  sections: string[]
  vsTorch: boolean
  budgetMs: number
}

function parseArgs(argv: string[]): Args {
  const args: Args = { sections: [], vsTorch: false, budgetMs: 2500 }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--vs-torch') args.vsTorch = true
    else if (a === '--budget') args.budgetMs = Number(argv[++i])
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
  const theirs: (CellResult | null)[] = []
  const load: number[] = []
  let torchVersion: string | null = null
  let torchError: string | null = null
  for (const cell of CELLS) {
    process.stdout.write(`  ${cell.arch} ${cell.inputShape.join('×')} batch ${cell.batch} … `)
    load.push(os.loadavg()[0])
    ours.push(benchCell(cell, args.budgetMs))
    if (args.vsTorch && !torchNote && !torchError) {
      process.stdout.write(`PyTorch (${threads} threads) … `)
      const r = spawnSync(PYTHON, [path.join(here, 'reference/torch_bench.py'), JSON.stringify({ threads, budget_ms: args.budgetMs, cells: [cell] })], {
        encoding: 'utf8',
        maxBuffer: 1 << 24
      })
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
  const rows = CELLS.map((cell, i) => ({ cell, advlab: ours[i], torch: torch?.results[i] ?? null, loadAverage: load[i] }))
  printTable(rows, torch !== null)
  return { backend, cpus: threads, cells: rows, torch: torch ? { version: torch.torch, threads: torch.threads } : null, torchNote: torchNote ?? torchError }
}

function printTable(rows: { cell: (typeof CELLS)[number]; advlab: CellResult; torch: CellResult | null }[], withTorch: boolean): void {
  const fmt = (v: number): string => (v >= 100 ? v.toFixed(0) : v.toFixed(1))
  const header = ['model', 'input', 'batch', ...WORKLOADS.flatMap((w) => (withTorch ? [w, 'torch', 'ratio'] : [w]))]
  const lines = rows.map(({ cell, advlab, torch }) => [
    cell.arch,
    cell.inputShape.join('×'),
    String(cell.batch),
    ...WORKLOADS.flatMap((w) => (withTorch && torch ? [fmt(advlab[w]), fmt(torch[w]), (advlab[w] / torch[w]).toFixed(2) + '×'] : [fmt(advlab[w])]))
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)))
  const line = (cells: string[]): string => '| ' + cells.map((c, i) => c.padStart(widths[i])).join(' | ') + ' |'
  console.log(line(header))
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|')
  for (const l of lines) console.log(line(l))
}

async function parallelSection(args: Args): Promise<object> {
  console.log('parallel experiment: 1 vs 2 worker threads, each a wasm engine on its share of the batch (images/s)')
  return { results: await benchParallel([1, 2], args.budgetMs) }
}

/** resnet18 training at batch 128: resident memory and tensor count over a few SGD steps. */
async function memorySection(): Promise<object> {
  await initEngine()
  console.log('memory: resnet18 32×32×3, batch 128, SGD-momentum training steps')
  const steps = trainingMemory({ arch: 'resnet18', inputShape: [32, 32, 3], batch: 128, width: 1 }, 4)
  for (const s of steps) console.log(`  step ${s.step}: ${s.seconds.toFixed(1)} s, RSS ${(s.rssBytes / 2 ** 30).toFixed(2)} GiB, ${s.tensors} tensors`)
  return { steps, peakRssBytes: Math.max(...steps.map((s) => s.rssBytes)) }
}

/** Each section prints its own table and returns what goes into the JSON file. */
const SECTIONS: Record<string, (args: Args) => Promise<object>> = {
  engine: engineSection,
  parallel: parallelSection,
  memory: memorySection,
  store: () => import('./store').then((m) => m.storeSection()),
  data: () => import('./data').then((m) => m.dataSection())
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
