import type { Handlers } from './handler'
import { metricTimes } from '../store/metric-times'

export const metricTimeHandlers: Handlers<'runs.metricTimes'> = {
  'runs.metricTimes': ({ ids, name, maxPoints }, { db }) => metricTimes(db, ids, name, maxPoints)
}
