import type { Handlers } from './handler'
import { projectHandlers } from './projects'
import { statusHandlers } from './status'
import { datasetHandlers } from './datasets'
import { runHandlers } from './runs'
import { runsOverviewHandlers } from './runs-overview'
import { metricTimeHandlers } from './metric-times'
import { trainingHandlers } from './train'
import { weightHandlers } from './weights'
import { settingsHandlers } from './settings'
import { galleryHandlers } from './gallery'
import { logHandlers } from './log'
import { evaluationHandlers } from './evaluation'
import { studyHandlers } from './studies'
import { compareHandlers } from './compare'
import { defenceHandlers } from './defences'
import { corruptionHandlers } from './corruptions'

/** Every request in the contract has exactly one handler; the type checker enforces it. */
export const handlers: Handlers = {
  ...statusHandlers,
  ...projectHandlers,
  ...datasetHandlers,
  ...runHandlers,
  ...runsOverviewHandlers,
  ...metricTimeHandlers,
  ...compareHandlers,
  ...trainingHandlers,
  ...weightHandlers,
  ...settingsHandlers,
  ...galleryHandlers,
  ...logHandlers,
  ...evaluationHandlers,
  ...defenceHandlers,
  ...studyHandlers,
  ...corruptionHandlers
}
