/**
 * A run's dataset and architecture, stated once (issue 13). The dataset is the one the run is
 * filed under (runs.dataset_id), never guessed from a config. The architecture lives in a
 * different place for each run kind — a training's model, a distillation's student, an import's
 * own field, a wrapped model's source run — so it is read by kind, here and nowhere else.
 */
import type Database from 'better-sqlite3'

type Config = Record<string, unknown>
const obj = (v: unknown): Config | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Config) : undefined)
const text = (v: unknown): string | null => (typeof v === 'string' ? v : null)

/** The name of the dataset a run is filed under, or null (a dataset since removed, or none). */
export function datasetNameOf(db: Database.Database, runId: number): string | null {
  const row = db.prepare('SELECT d.name FROM runs r JOIN datasets d ON d.id = r.dataset_id WHERE r.id = ?').get(runId) as
    { name: string } | undefined
  return row?.name ?? null
}

/** The architecture of a model run (null for measurement runs, or a wrapped run whose source is gone). */
export function architectureOf(db: Database.Database, kind: string, config: Config, depth = 0): string | null {
  switch (kind) {
    case 'train':
      return text(obj(config.model)?.arch)
    case 'distill':
      return text(obj(obj(config.student)?.model)?.arch)
    case 'import':
      return text(config.arch)
    case 'wrapped': {
      // A wrapped model is its source's model behind a layer; sources may themselves be wrapped.
      const source = db.prepare('SELECT kind, config_json FROM runs WHERE id = ?').get(config.sourceRunId) as
        { kind: string; config_json: string } | undefined
      return source && depth < 8 ? architectureOf(db, source.kind, JSON.parse(source.config_json) as Config, depth + 1) : null
    }
    default:
      return null
  }
}
