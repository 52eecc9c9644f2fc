import type Database from 'better-sqlite3'
import { LabError } from '../../api/errors'
import { isModelRunKind } from '../../api/runs'
import { getRun } from './runs'
import { latestWeights } from './artifacts'

/** A completed model run with final weights; the errors say what to pick instead. */
export function requireModelRun(db: Database.Database, id: number, field: string) {
  const run = getRun(db, id)
  if (!isModelRunKind(run.kind))
    throw new LabError(
      'bad_input',
      `Run ${id} is a ${run.kind} run, not a model; pick a training, distillation, imported or wrapped run.`,
      field
    )
  if (run.status !== 'completed')
    throw new LabError(
      'bad_input',
      `Run ${id} ("${run.name}") is ${run.status}; only a completed run has final weights to evaluate.`,
      field
    )
  if (!latestWeights(db, id)) throw new LabError('bad_input', `Run ${id} ("${run.name}") has no final weights in the log.`, field)
  return run
}
