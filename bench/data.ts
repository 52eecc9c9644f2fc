/**
 * Loader benchmark (issue 4 targets): full MNIST (70k) from IDX < 2 s, CIFAR-10 binary (60k) < 3 s,
 * resident memory ≤ 1.3× the float32 size of the loaded data.
 *
 *   npx tsx bench/data.ts            (or: node --import tsx bench/data.ts)
 *
 * Each case registers in one child process and loads in another, fresh one, so the memory numbers
 * are the loader's own. CIFAR-10 has no
 * offline source here, so binary batches of the real size are generated (random pixels/labels).
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(import.meta.url)
const MB = 1024 * 1024

interface CaseResult {
  case: string
  images: number
  registerSeconds: number
  loadSeconds: number
  /** CPU time of the load (user + system): unlike wall time, not inflated by other busy processes. */
  loadCpuSeconds: number
  float32MB: number
  rssBeforeMB: number
  rssAfterMB: number
  peakRssMB: number
  /** (RSS after load) / float32 size: the whole process, runtime included. */
  rssRatio: number
  /** (RSS after − RSS before load) / float32 size: what loading added. */
  addedRatio: number
}

function writeCifar10(dir: string): void {
  // Random bytes with valid labels: the loader's cost does not depend on the pixel values.
  let seed = 12345
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24
  const batch = (n: number) => {
    const b = Buffer.allocUnsafe(n * 3073)
    for (let i = 0; i < b.length; i += 4096) b[i] = next()
    for (let r = 0; r < n; r++) b[r * 3073] = next() % 10
    return b
  }
  for (let k = 1; k <= 5; k++) fs.writeFileSync(path.join(dir, `data_batch_${k}.bin`), batch(10000))
  fs.writeFileSync(path.join(dir, 'test_batch.bin'), batch(10000))
  fs.writeFileSync(path.join(dir, 'batches.meta.txt'), 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n')
}

/** Child 1 (run through tsx): registers the dataset — the one full pass that hashes and surveys it. */
async function registerCase(name: string, dataDir: string, source: string | null): Promise<{ registerSeconds: number }> {
  const { LabService } = await import('../src-main/lab/service')
  const lab = new LabService({ dataDir })
  const t = performance.now()
  const r = source ? await lab.handle('datasets.register', { path: source, name }) : await lab.handle('datasets.list', {})
  if (!r.ok) throw new Error(r.error.message)
  lab.close()
  return { registerSeconds: (performance.now() - t) / 1000 }
}

/**
 * Child 2: loads train + test the way an engine worker would — the log opened directly, no lab
 * service, no engine — bundled by esbuild and run by plain node, as the app ships it.
 */
const LOAD_ENTRY = (repo: string) => `
import { openLog } from ${JSON.stringify(path.join(repo, 'src-main/lab/store/open.ts'))}
import { loadDataset } from ${JSON.stringify(path.join(repo, 'src-main/lab/data/loader.ts'))}
const [name, dataDir] = process.argv.slice(2)
const { db } = openLog(dataDir)
globalThis.gc?.()
const rssBefore = process.memoryUsage().rss
const cpu = process.cpuUsage()
const t = performance.now()
const train = await loadDataset(db, name, { split: 'train' })
const test = await loadDataset(db, name, { split: 'test' })
const loadSeconds = (performance.now() - t) / 1000
const used = process.cpuUsage(cpu)
const cpuSeconds = (used.user + used.system) / 1e6
globalThis.gc?.()
const rssAfter = process.memoryUsage().rss
db.close()
console.log(JSON.stringify({ images: train.n + test.n, loadSeconds, cpuSeconds, float32: train.images.byteLength + test.images.byteLength, rssBefore, rssAfter, peak: process.resourceUsage().maxRSS * 1024 }))
`

async function buildLoadChild(work: string): Promise<string> {
  const esbuild = await import('esbuild')
  const repo = path.resolve(path.dirname(here), '..')
  const entry = path.join(work, 'load-entry.ts')
  fs.writeFileSync(entry, LOAD_ENTRY(repo))
  const outfile = path.join(repo, 'node_modules', '.cache', 'advlab-bench', `load-${process.pid}.mjs`)
  await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    packages: 'external',
    logLevel: 'error'
  })
  return outfile
}

/** Runs both cases and prints the table; `npm run bench -- data` can call this as a section. */
export async function dataSection(): Promise<{ loadAverage: number[]; results: CaseResult[] }> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'advlab-bench-data-'))
  let loadChild: string | undefined
  try {
    const cifarDir = path.join(work, 'cifar-10-batches-bin')
    fs.mkdirSync(cifarDir)
    writeCifar10(cifarDir)
    loadChild = await buildLoadChild(work)
    const cases: Array<[string, string]> = [
      ['MNIST', '-'],
      ['CIFAR-10', cifarDir]
    ]
    const results: CaseResult[] = []
    for (const [name, source] of cases) {
      const dataDir = path.join(work, `lab-${name}`)
      const reg = spawnSync(process.execPath, ['--import', 'tsx', here, '--register', name, dataDir, source], { encoding: 'utf8' })
      if (reg.status !== 0) throw new Error(`${name} registration failed:\n${reg.stderr}`)
      const { registerSeconds } = JSON.parse(reg.stdout.trim().split('\n').at(-1)!)
      const load = spawnSync(process.execPath, ['--expose-gc', loadChild, name, dataDir], { encoding: 'utf8' })
      if (load.status !== 0) throw new Error(`${name} loading failed:\n${load.stderr}`)
      const m = JSON.parse(load.stdout.trim().split('\n').at(-1)!)
      results.push({
        case: name,
        images: m.images,
        registerSeconds,
        loadSeconds: m.loadSeconds,
        loadCpuSeconds: m.cpuSeconds,
        float32MB: m.float32 / MB,
        rssBeforeMB: m.rssBefore / MB,
        rssAfterMB: m.rssAfter / MB,
        peakRssMB: m.peak / MB,
        rssRatio: m.rssAfter / m.float32,
        addedRatio: (m.rssAfter - m.rssBefore) / m.float32
      })
    }
    const f = (v: number, d = 2) => v.toFixed(d)
    console.log(
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${os.cpus().length} CPUs`
    )
    console.log('case      images  register s  load s  load CPU s  float32 MB  RSS before→after MB  peak MB  RSS/float32  added/float32')
    for (const r of results)
      console.log(
        `${r.case.padEnd(9)} ${String(r.images).padStart(6)}  ${f(r.registerSeconds).padStart(10)}  ${f(r.loadSeconds).padStart(6)}  ${f(r.loadCpuSeconds).padStart(10)}  ${f(r.float32MB, 1).padStart(10)}  ${`${f(r.rssBeforeMB, 0)}→${f(r.rssAfterMB, 0)}`.padStart(19)}  ${f(r.peakRssMB, 0).padStart(7)}  ${f(r.rssRatio).padStart(11)}  ${f(r.addedRatio).padStart(13)}`
      )
    return { loadAverage: os.loadavg(), results }
  } finally {
    fs.rmSync(work, { recursive: true, force: true })
    if (loadChild) fs.rmSync(loadChild, { force: true })
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === here) {
  const child = process.argv.indexOf('--register')
  if (child >= 0) {
    const [name, dataDir, source] = process.argv.slice(child + 1)
    process.stdout.write(JSON.stringify(await registerCase(name, dataDir, source === '-' ? null : source)) + '\n')
  } else {
    const section = await dataSection()
    const out = path.join(path.dirname(here), 'results', 'data.json')
    fs.mkdirSync(path.dirname(out), { recursive: true })
    fs.writeFileSync(
      out,
      JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, ...section }, null, 2)
    )
    console.log(`written ${path.relative(process.cwd(), out)}`)
  }
}
