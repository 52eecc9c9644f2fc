/**
 * Start-up benchmark (`npm run bench -- startup [--runs N]`): the wall time of `lab --help` and
 * `lab status --json` on a fresh data directory, each the median of N starts, as a ratio to
 * `node -e 0` measured in the same rounds (the machines are shared, so the ratio is what carries
 * from one load to another). The same two commands run from the TypeScript sources through tsx
 * (how `lab` started before it had a build) show what the build saves. Target: `lab status`
 * under 1.5 s on an idle machine of this kind.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const LAB = path.join(root, 'bin/lab.mjs')
const TARGET_STATUS_SECONDS = 1.5
/** What a start prints when it rebuilt the CLI first (see scripts/ensure-built.mjs). */
const REBUILT = 'Building the lab CLI'

/** The CLI started from its sources through tsx, as bin/lab.mjs did before the build. */
const FROM_SOURCES = [
  "import { register } from 'tsx/esm/api'",
  'register()',
  `const { main } = await import(${JSON.stringify(pathToFileURL(path.join(root, 'src-main/cli/main.ts')).href)})`,
  'process.exitCode = await main(process.argv.slice(1))'
].join('\n')

interface Case {
  name: string
  /** The node arguments; a fresh data directory is appended where the case takes one. */
  args: (dataDir: string) => string[]
}

const CASES: Case[] = [
  { name: 'node -e 0', args: () => ['-e', '0'] },
  { name: 'lab --help', args: () => [LAB, '--help'] },
  { name: 'lab status --json', args: (dir) => [LAB, 'status', '--json', '--data-dir', dir] },
  { name: 'lab --help (tsx, sources)', args: () => ['--input-type=module', '-e', FROM_SOURCES, '--', '--help'] },
  {
    name: 'lab status --json (tsx, sources)',
    args: (dir) => ['--input-type=module', '-e', FROM_SOURCES, '--', 'status', '--json', '--data-dir', dir]
  }
]

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Seconds of one start, or null when it rebuilt the CLI first (someone edited the sources). */
function timeOnce(c: Case): number | null {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'advlab-bench-startup-'))
  try {
    const t0 = performance.now()
    const r = spawnSync(process.execPath, c.args(dataDir), { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    const seconds = (performance.now() - t0) / 1000
    if (r.status !== 0) throw new Error(`${c.name} failed (exit ${r.status}):\n${r.stderr}`)
    return r.stderr.includes(REBUILT) ? null : seconds
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

export async function startupSection(runs: number): Promise<object> {
  // The first start builds the CLI when the sources are newer than its build; not measured.
  timeOnce(CASES[1])
  const seconds = new Map(CASES.map((c) => [c.name, [] as number[]]))
  let rebuilds = 0
  const load: number[] = []
  console.log(`start-up benchmark: ${runs} rounds, each case once per round, fresh data directory per start`)
  // Rounds interleave the cases, so a burst of load elsewhere hits all of them alike.
  for (let round = 0; round < runs; round++) {
    load.push(os.loadavg()[0])
    for (const c of CASES) {
      let s = timeOnce(c)
      for (let retry = 0; s === null && retry < 3; retry++) {
        rebuilds++
        s = timeOnce(c)
      }
      if (s !== null) seconds.get(c.name)!.push(s)
    }
    process.stdout.write(`  round ${round + 1}/${runs} done (1-min load ${os.loadavg()[0].toFixed(1)})\n`)
  }
  const node = median(seconds.get('node -e 0')!)
  const rows = CASES.map((c) => {
    const m = median(seconds.get(c.name)!)
    return {
      case: c.name,
      medianSeconds: Number(m.toFixed(3)),
      ratioToNode: Number((m / node).toFixed(1)),
      samples: seconds.get(c.name)!.map((s) => Number(s.toFixed(3)))
    }
  })
  console.log(`  ${'case'.padEnd(34)} ${'median s'.padStart(9)} ${'× node -e 0'.padStart(12)}`)
  for (const r of rows)
    console.log(`  ${r.case.padEnd(34)} ${r.medianSeconds.toFixed(3).padStart(9)} ${r.ratioToNode.toFixed(1).padStart(12)}`)
  const status = rows.find((r) => r.case === 'lab status --json')!.medianSeconds
  const meanLoad = load.reduce((a, b) => a + b, 0) / load.length
  console.log(
    `  lab status --json: ${status.toFixed(2)} s (target < ${TARGET_STATUS_SECONDS} s on an idle machine): ${status < TARGET_STATUS_SECONDS ? 'met' : 'not met'}` +
      ` at a 1-min load of ${meanLoad.toFixed(1)} on ${os.availableParallelism()} cores${rebuilds ? `; ${rebuilds} start(s) rebuilt the CLI and were measured again` : ''}`
  )
  return { runs, rows, targetStatusSeconds: TARGET_STATUS_SECONDS, loadAverage1m: load, rebuilds }
}
