import type { z } from 'zod'
import type { RequestName, Requests, Result } from '../api/contract'
import type { LabContext } from './context'
import { projectHandlers } from './projects'
import { statusHandlers } from './status'
import { datasetHandlers } from './datasets'
import { runHandlers } from './runs'
import { trainingHandlers } from './training'
import { weightHandlers } from './weights'
import { settingsHandlers } from './settings'
import { galleryHandlers } from './gallery'
import { logHandlers } from './log'
import { evaluationHandlers } from './evaluation'
import { studyHandlers } from './studies'

export type Handler<N extends RequestName> = (
  params: z.output<Requests[N]['params']>,
  ctx: LabContext
) => Result<N> | Promise<Result<N>>

export type Handlers<N extends RequestName = RequestName> = { [K in N]: Handler<K> }

/** Every request in the contract has exactly one handler; the type checker enforces it. */
export const handlers: Handlers = {
  ...statusHandlers,
  ...projectHandlers,
  ...datasetHandlers,
  ...runHandlers,
  ...trainingHandlers,
  ...weightHandlers,
  ...settingsHandlers,
  ...galleryHandlers,
  ...logHandlers,
  ...evaluationHandlers,
  ...studyHandlers
}
