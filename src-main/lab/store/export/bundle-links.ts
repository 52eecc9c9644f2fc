/**
 * The run ids inside run configs (a student's teacher, a wrapped model's source, the models an
 * attack measured …). They are ids of the log a run was made in, so a bundle records each one's
 * uid (its links) and importing rewrites them to the importing log's ids: after a merge, an attack
 * run's target is the imported model, not whatever run happens to have its old id here.
 */
import type { RunKind } from '../../../api/runs'
import type { RunConfigs } from '../../../api/run-configs'

type IdField<K extends RunKind> = {
  [F in keyof RunConfigs[K]]-?: NonNullable<RunConfigs[K][F]> extends number | number[] ? F : never
}[keyof RunConfigs[K]] &
  string

/**
 * Every field of each kind's config (api/run-configs.ts) that names runs by id. Typed against the
 * configs, so a renamed field fails to compile; a test checks no id field is missing.
 */
export const RUN_ID_FIELDS: { [K in RunKind]: ReadonlyArray<IdField<K>> } = {
  train: [],
  distill: ['teacherRunId'],
  import: [],
  wrapped: ['sourceRunId'],
  attack: ['runId', 'surrogateRunId', 'targetRunIds'],
  eval: ['runId', 'surrogateRunId', 'targetRunIds'],
  sweep: ['runIds', 'targetRunIds'],
  corruptions: ['runId', 'baselineRunId', 'targetRunIds']
}

const isRunKind = (kind: string): kind is RunKind => kind in RUN_ID_FIELDS

/**
 * The config with every run id replaced by `map(id)`. A wrapped run keeps its source's config
 * inside its own (`source`); the ids in it are mapped too, read by the source's kind.
 */
export function mapRunIds(
  kind: string,
  config: Record<string, unknown>,
  map: (id: number) => number,
  kindOf: (id: number) => string | undefined
): Record<string, unknown> {
  if (!isRunKind(kind)) return config
  const out: Record<string, unknown> = { ...config }
  for (const field of RUN_ID_FIELDS[kind] as readonly string[]) {
    const v = out[field]
    if (typeof v === 'number') out[field] = map(v)
    else if (Array.isArray(v)) out[field] = v.map((x) => (typeof x === 'number' ? map(x) : x))
  }
  if (
    kind === 'wrapped' &&
    typeof config.sourceRunId === 'number' &&
    config.source &&
    typeof config.source === 'object' &&
    !Array.isArray(config.source)
  ) {
    const sourceKind = kindOf(config.sourceRunId)
    if (sourceKind) out.source = mapRunIds(sourceKind, config.source as Record<string, unknown>, map, kindOf)
  }
  return out
}

/** The run ids a config names (wrapped runs: with those of the source config inside it). */
export function runIdsIn(kind: string, config: Record<string, unknown>, kindOf: (id: number) => string | undefined): number[] {
  const ids = new Set<number>()
  mapRunIds(kind, config, (id) => (ids.add(id), id), kindOf)
  return [...ids]
}
