import type { Handlers } from './handler'
import { runsOverview } from '../store/runs-overview'

export const runsOverviewHandlers: Handlers<'runs.overview'> = {
  'runs.overview': (params, { db, jobs }) => runsOverview(db, params, (id) => jobs.progressOf(id))
}
