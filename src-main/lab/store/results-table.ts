/**
 * The results table (api/results-table.ts), built once for every screen and export. Its rules:
 * - Repeats: runs of one kind with the same config hash (the hash leaves the seed out) are one row.
 * - A cell's n is the repeats that actually have it; std (and "±") only when n ≥ 2.
 * - Clean accuracy: a run's clean evaluation when it has one (the samples its attacks used), else
 *   its final test/accuracy; one definition, so no two views can show two clean numbers.
 * - Columns: one per attack × norm × ε — the ε the user chose for that attack, or a common ε, or
 *   by default every ε it was run at; never one global ε that blanks the other attacks' cells.
 * - ★ best: the highest mean of a column among rows not suspected of masking (verdict yes or
 *   possible: their attack cells are marked "masking" instead) and not partial, never to a tie
 *   at 0 %, and only where at least two such rows compete.
 * - Partial results (unfinished evaluations) are out unless asked for, then marked partial.
 */
import type Database from 'better-sqlite3'
import { LabError } from '../../api/errors'
import { epsilonKey, formatEpsilon, sameEpsilon } from '../../api/epsilon'
import {
  ResultsTableRequestSchema,
  type ResultCell,
  type ResultColumn,
  type ResultRow,
  type ResultsTable,
  type ResultsTableRequest,
  type RunHeadline
} from '../../api/results-table'
import type { RunStatus } from '../../api/runs'
import { attackOrder, epsKey, readVerdicts } from './compare-evidence'
import { commonLabel, stat, worstVerdict } from './compare'
import { finalTestAccuracy, readRunResults, type RunResult } from './run-results'
import { attackTitle } from '../../api/results-text'
import { beyondBallColumnTitle, CORRUPTION_MEAN, CORRUPTION_NORM, isEpsilonNorm } from '../../api/corruption-names'

export const columnTitle = (attack: string, norm: string, epsilon: number): string =>
  beyondBallColumnTitle(attack, norm, epsilon) ?? `${attackTitle(attack)}${norm === 'Linf' ? '' : ` ${norm}`} (ε=${formatEpsilon(epsilon)})`

const SUSPECT = ['yes', 'possible']

interface RunRow {
  id: number
  name: string
  kind: string
  config_hash: string
}

function loadRuns(db: Database.Database, ids: readonly number[]): RunRow[] {
  const get = db.prepare('SELECT id, name, kind, config_hash FROM runs WHERE id = ?')
  return ids.map((id) => {
    const row = get.get(id) as RunRow | undefined
    if (!row) throw new LabError('not_found', `There is no run with id ${id}.`, 'ids')
    return row
  })
}

/** A run's clean evaluation, a complete one first (the rest of the clean rule is in cleanValue). */
function cleanResult(results: Map<string, RunResult>): RunResult | null {
  const clean = [...results.values()].filter((r) => r.attack === 'clean')
  return clean.find((r) => r.partialStatus === null) ?? clean[0] ?? null
}

/** Clean accuracy under the one definition: the clean evaluation, else the final test/accuracy. */
function cleanValue(
  runId: number,
  results: Map<string, RunResult>,
  trained: Map<number, number>
): { accuracy: number; partialStatus: RunStatus | null; source: 'evaluation' | 'training' } | null {
  const evaluated = cleanResult(results)
  if (evaluated) return { accuracy: evaluated.accuracy, partialStatus: evaluated.partialStatus, source: 'evaluation' }
  const t = trained.get(runId)
  return t === undefined ? null : { accuracy: t, partialStatus: null, source: 'training' }
}

/** The ε of each attack × norm's columns: chosen per attack, else the common one, else every ε it has. */
function chooseColumns(
  results: Iterable<RunResult>,
  choice: { epsilon?: number; epsilons?: Record<string, number[]> }
): { columns: ResultColumn[]; available: ResultsTable['available'] } {
  const byAttack = new Map<string, { attack: string; norm: string; epsilons: Map<string, number> }>()
  for (const r of results) {
    if (r.attack === 'clean') continue
    const entry = byAttack.get(`${r.attack}|${r.norm}`) ?? { attack: r.attack, norm: r.norm, epsilons: new Map() }
    byAttack.set(`${r.attack}|${r.norm}`, entry)
    entry.epsilons.set(epsilonKey(r.epsilon), r.epsilon)
  }
  const linfFirst = (a: string, b: string): number => (a === b ? 0 : a === 'Linf' ? -1 : b === 'Linf' ? 1 : a.localeCompare(b))
  const attacks = [...byAttack.values()].sort(
    (a, b) => attackOrder(a.attack) - attackOrder(b.attack) || a.attack.localeCompare(b.attack) || linfFirst(a.norm, b.norm)
  )
  const available = attacks.map((a) => ({ attack: a.attack, norm: a.norm, epsilons: [...a.epsilons.values()].sort((x, y) => x - y) }))
  const columns: ResultColumn[] = [{ key: 'clean', attack: 'clean', norm: null, epsilon: null, title: 'clean' }]
  for (const a of available) {
    const common = choice.epsilon
    // A corruption's five severities stay out unless chosen: by default the table shows their mean (the heat map shows each).
    if (a.norm === CORRUPTION_NORM && a.attack !== CORRUPTION_MEAN && !choice.epsilons?.[a.attack]) continue
    const chosen =
      choice.epsilons?.[a.attack] ??
      (common === undefined || !isEpsilonNorm(a.norm) ? a.epsilons : a.epsilons.filter((e) => sameEpsilon(e, common)))
    for (const epsilon of chosen)
      columns.push({
        key: epsKey(a.attack, a.norm, epsilon),
        attack: a.attack,
        norm: a.norm,
        epsilon,
        title: columnTitle(a.attack, a.norm, epsilon)
      })
  }
  return { columns, available }
}

function cellOf(
  values: Array<{ runId: number; accuracy: number; partialStatus: RunStatus | null; source?: 'evaluation' | 'training' }>,
  of: number,
  suspect: boolean,
  isAttack: boolean
): ResultCell | null {
  if (values.length === 0) return null
  const s = stat(values.map((v) => v.accuracy))
  const partialStatuses = values.map((v) => v.partialStatus).filter((v): v is RunStatus => v !== null)
  const sources = [...new Set(values.map((v) => v.source).filter((v) => v !== undefined))]
  return {
    mean: s.mean,
    std: s.std,
    n: s.n,
    of,
    runIds: values.map((v) => v.runId),
    ...(sources.length ? { source: sources.includes('evaluation') ? 'evaluation' : 'training' } : {}),
    partialStatuses,
    marks: [...(suspect && isAttack ? (['masking'] as const) : []), ...(partialStatuses.length ? (['partial'] as const) : [])]
  }
}

/** ★ per column: see the rules above; compared as shown (to 0.1 %), so equal-looking cells share it. */
function markBest(rows: ResultRow[]): void {
  const shown = (c: ResultCell): number => Math.round(c.mean * 1000)
  const width = rows[0]?.cells.length ?? 0
  for (let col = 0; col < width; col++) {
    const filled = rows.map((r) => r.cells[col]).filter((c): c is ResultCell => c !== null)
    const eligible = rows
      .filter((r) => !SUSPECT.includes(r.verdict ?? ''))
      .map((r) => r.cells[col])
      .filter((c): c is ResultCell => c !== null && !c.marks.includes('partial'))
    if (filled.length < 2 || eligible.length < 2) continue
    const top = Math.max(...eligible.map(shown))
    if (top === 0) continue
    for (const c of eligible) if (shown(c) === top) c.marks.unshift('best')
  }
}

/** The lowest accuracy at the largest ε (L∞ first) of a run's results. */
function robustOf(results: Iterable<RunResult>): RunHeadline['robust'] {
  // Only ε-ball attacks: a spatial bound in degrees or a corruption's severity is not an ε.
  const attacked = [...results].filter((r) => r.attack !== 'clean' && isEpsilonNorm(r.norm))
  const linf = attacked.filter((r) => r.norm === 'Linf')
  const pool = linf.length ? linf : attacked
  if (pool.length === 0) return null
  const top = Math.max(...pool.map((r) => r.epsilon))
  const worst = pool.filter((r) => sameEpsilon(r.epsilon, top)).reduce((a, b) => (b.accuracy < a.accuracy ? b : a))
  return {
    accuracy: worst.accuracy,
    attack: worst.attack,
    norm: worst.norm,
    epsilon: worst.epsilon,
    label: columnTitle(worst.attack, worst.norm, worst.epsilon)
  }
}

/** Repeats of one experiment: runs of one kind with the same config hash, in the order their first run appears. */
function repeatsOf(runs: readonly RunRow[]): RunRow[][] {
  const members = new Map<string, RunRow[]>()
  for (const run of runs) members.set(`${run.kind}|${run.config_hash}`, [...(members.get(`${run.kind}|${run.config_hash}`) ?? []), run])
  return [...members.values()]
}

/**
 * The table of the runs asked for. `arms` replaces the grouping by config hash where a caller
 * already knows its groups (a study's arms, labelled by the study); `ids` then lists their runs.
 */
export function buildResultsTable(
  db: Database.Database,
  request: ResultsTableRequest,
  arms?: ReadonlyArray<{ label: string; runIds: readonly number[] }>
): ResultsTable {
  const o = ResultsTableRequestSchema.parse(request)
  const ids = [...new Set(o.ids)]
  const runs = loadRuns(db, ids)
  const { byRun, partial } = readRunResults(db, ids, o.includePartial)
  const trained = finalTestAccuracy(db, ids)
  const verdictOf = new Map(readVerdicts(db, ids).perRun.map((v) => [v.runId, v.verdict]))

  const byId = new Map(runs.map((r) => [r.id, r]))
  const groups = arms
    ? arms.map((arm) => ({ label: arm.label, runs: arm.runIds.map((id) => byId.get(id)).filter((r): r is RunRow => r !== undefined) }))
    : repeatsOf(runs).map((group) => ({ label: commonLabel(group.map((r) => r.name)), runs: group }))
  const { columns, available } = chooseColumns(
    [...byRun.values()].flatMap((m) => [...m.values()]),
    o
  )

  const rows: ResultRow[] = groups.map(({ label, runs: group }) => {
    const verdict = worstVerdict(group.map((r) => verdictOf.get(r.id)).filter((v): v is string => typeof v === 'string'))
    const suspect = SUSPECT.includes(verdict ?? '')
    const cells = columns.map((column) => {
      const values = group.flatMap((run) => {
        const results = byRun.get(run.id) ?? new Map<string, RunResult>()
        if (column.attack === 'clean') {
          const clean = cleanValue(run.id, results, trained)
          return clean ? [{ runId: run.id, ...clean }] : []
        }
        const r = results.get(column.key)
        return r ? [{ runId: run.id, accuracy: r.accuracy, partialStatus: r.partialStatus }] : []
      })
      return cellOf(values, Math.max(1, group.length), suspect, column.attack !== 'clean')
    })
    return { label, configHash: group[0]?.config_hash ?? '', runIds: group.map((r) => r.id), cells, verdict }
  })
  markBest(rows)

  const headlines: RunHeadline[] = runs.map((run) => {
    const results = byRun.get(run.id) ?? new Map<string, RunResult>()
    // The Runs table's headline never rests on a partial evaluation.
    const complete = new Map([...results].filter(([, r]) => r.partialStatus === null))
    return {
      runId: run.id,
      clean: cleanValue(run.id, complete, trained)?.accuracy ?? null,
      robust: robustOf(complete.values()),
      verdict: verdictOf.get(run.id) ?? null
    }
  })
  return { columns, rows, available, includePartial: o.includePartial, partial, headlines }
}
