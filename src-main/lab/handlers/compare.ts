/** Handlers of comparing runs (api/compare.ts): choosing runs and the side-by-side comparison. */
import type { Handlers } from './handler'
import { compareRuns, selectRuns } from '../store/compare'

export const compareHandlers: Handlers<'runs.select' | 'runs.compare'> = {
  'runs.select': (filter, { db }) => selectRuns(db, filter),
  'runs.compare': (options, { db }) => compareRuns(db, options)
}
