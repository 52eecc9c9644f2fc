/**
 * A sweep as Slurm array jobs that run exactly as `lab sweep emit` prints them:
 *  - Slurm opens a task's --output/--error files before the script runs, so their folder must exist
 *    when the job is submitted: emit creates `<shared>/logs` (the CLI does; here it is only named).
 *  - Paths are double-quoted in the directives (sbatch reads quoted values), so a space is fine.
 *  - Array indices must stay below the cluster's MaxArraySize (1001 unless configured): a larger
 *    sweep becomes several submissions of at most MaxArraySize tasks, each with its first cell
 *    written in.
 */
import { spawnSync } from 'node:child_process'
import type { SweepFile } from './sweep-file'
import { jobName, type EmitOptions } from './emit'

/** Slurm's default MaxArraySize: indices 0 … 1000. */
export const DEFAULT_MAX_ARRAY_SIZE = 1001

export interface SlurmSubmission {
  /** The script's file name, to be written beside sweep.json. */
  file: string
  /** The sweep's cell that array index 0 of this submission runs. */
  first: number
  count: number
  script: string
}

/** The cluster's MaxArraySize from `scontrol show config` when Slurm answers here, else its default. */
export function clusterMaxArraySize(): { value: number; source: string } {
  const r = spawnSync('scontrol', ['show', 'config'], { encoding: 'utf8', timeout: 15_000 })
  const m = r.status === 0 ? /^MaxArraySize\s*=\s*(\d+)\s*$/m.exec(r.stdout) : null
  if (m && Number(m[1]) >= 1) return { value: Number(m[1]), source: 'scontrol show config' }
  return { value: DEFAULT_MAX_ARRAY_SIZE, source: "Slurm's default (scontrol show config did not answer here)" }
}

/** Consecutive runs of cells, each small enough for one array job. */
export function arrayChunks(cells: number, maxArraySize: number): { first: number; count: number }[] {
  const size = Math.max(1, Math.floor(maxArraySize))
  const chunks: { first: number; count: number }[] = []
  for (let first = 0; first < cells; first += size) chunks.push({ first, count: Math.min(size, cells - first) })
  return chunks
}

/** Why a shared path cannot go into the scripts (sbatch's quoting has no escapes), or null. */
export function slurmPathProblem(shared: string): string | null {
  if (!shared.startsWith('/')) return `--shared must be an absolute path as the tasks see it, not "${shared}".`
  if (/["\\\n\r]/.test(shared))
    return `--shared "${shared}" holds a double quote, backslash or line break, which Slurm's #SBATCH lines cannot carry; use a path without them.`
  return null
}

/** A word for bash: left bare when it is plain, else single-quoted. */
export const shellQuote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`)
/** A file name pattern for --output/--error: a literal % is written %% (Slurm expands %x, %A, %a). */
const slurmPattern = (s: string): string => s.replace(/%/g, '%%')

export function slurmScripts(sweep: SweepFile, cells: number, o: EmitOptions, maxArraySize = DEFAULT_MAX_ARRAY_SIZE): SlurmSubmission[] {
  const name = jobName(sweep)
  const chunks = arrayChunks(cells, maxArraySize)
  return chunks.map(({ first, count }, part) => {
    const file = chunks.length === 1 ? `${name}.slurm` : `${name}.cells-${first}-${first + count - 1}.slurm`
    const directives = [
      `--job-name=${name}`,
      `--array=0-${count - 1}${o.parallel > 0 ? `%${o.parallel}` : ''}`,
      `--cpus-per-task=${o.cpus}`,
      `--mem=${o.memoryGiB}G`,
      `--time=${o.time}`,
      `--output="${slurmPattern(o.shared)}/logs/%x-%A_%a.out"`,
      `--error="${slurmPattern(o.shared)}/logs/%x-%A_%a.err"`,
      ...(o.gpus > 0 ? [`--gres=gpu:${o.gpus}`] : []),
      ...(o.partition ? [`--partition=${o.partition}`] : [])
    ]
    const what =
      chunks.length === 1
        ? `${cells} cell${cells === 1 ? '' : 's'}`
        : `cells ${first}–${first + count - 1} of ${cells} (part ${part + 1} of ${chunks.length}: the cluster's MaxArraySize is ${maxArraySize})`
    return {
      file,
      first,
      count,
      script: `#!/bin/bash
# AdvLab sweep ${JSON.stringify(sweep.name)}: ${what}, one Slurm array task each.
# Submit with: sbatch ${file}
# Slurm writes each task's output to ${JSON.stringify(`${o.shared}/logs`)}, which must exist before submission (lab sweep emit made it).
# Afterwards, on any machine that sees the shared directory: lab sweep merge ${shellQuote(`${o.shared}/bundles`)}
${directives.map((d) => `#SBATCH ${d}`).join('\n')}

set -euo pipefail
SHARED=${shellQuote(o.shared)}
# Array index 0 of this submission is cell ${first} of the sweep.
FIRST_CELL=${first}
TASK="\${SLURM_ARRAY_TASK_ID:?this script runs as a Slurm array task (sbatch), which sets SLURM_ARRAY_TASK_ID}"
INDEX=$((FIRST_CELL + TASK))
# The engine backend to ask for; AdvLab falls back (tensorflow → wasm) and records what it used.
export ADVLAB_BACKEND="\${ADVLAB_BACKEND:-${o.backend}}"
# Each task keeps its own log (SQLite is not shared across nodes); its runs leave as a bundle.
export ADVLAB_DATA_DIR="\${ADVLAB_TASK_DATA_DIR:-\${TMPDIR:-/tmp}/${name}-\${SLURM_JOB_ID:-$$}-\${INDEX}}"
LAB="\${ADVLAB_LAB:-lab}"
mkdir -p "\${SHARED}/bundles" "\${ADVLAB_DATA_DIR}"
\${LAB} sweep cell "\${SHARED}/sweep.json" --index "\${INDEX}" --out "\${SHARED}/bundles"
`
    }
  })
}
