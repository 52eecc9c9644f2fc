/**
 * The one API contract: every request, response and event of AdvLab, declared once.
 * The renderer, the CLI, the tests and both transports (Electron IPC and serve mode's WebSocket)
 * all use these declarations; the lab service validates every request against them.
 *
 * Each domain declares its own messages in its own file; this file only gathers them.
 * This module is pure (no Node, no DOM) so that both sides can import it.
 */
import { z } from 'zod'
import { projectEvents, projectRequests } from './projects'
import { statusRequests } from './status'
import { jobEvents } from './jobs'
import { datasetEvents, datasetRequests } from './datasets'
import { runEvents, runRequests } from './runs'
import { runsOverviewRequests } from './runs-overview'
import { metricTimeRequests } from './metric-times'
import { trainRequests } from './train'
import { weightRequests } from './weights'
import { settingsRequests } from './settings'
import { galleryRequests } from './gallery'
import { logEvents, logRequests } from './log'
import { evaluationEvents, evaluationRequests } from './evaluation'
import { defenceRequests } from './defences'
import { compareRequests } from './compare'
import { studyEvents, studyRequests } from './studies'
import { corruptionRequests } from './corruptions'

export const requests = {
  ...statusRequests,
  ...projectRequests,
  ...datasetRequests,
  ...runRequests,
  ...runsOverviewRequests,
  ...metricTimeRequests,
  ...compareRequests,
  ...trainRequests,
  ...weightRequests,
  ...settingsRequests,
  ...galleryRequests,
  ...logRequests,
  ...evaluationRequests,
  ...defenceRequests,
  ...studyRequests,
  ...corruptionRequests
} as const

export const events = {
  ...projectEvents,
  ...datasetEvents,
  ...jobEvents,
  ...runEvents,
  ...logEvents,
  ...evaluationEvents,
  ...studyEvents
} as const

export type Requests = typeof requests
export type RequestName = keyof Requests
export type Params<N extends RequestName> = z.input<Requests[N]['params']>
export type Result<N extends RequestName> = z.output<Requests[N]['result']>

export type Events = typeof events
export type EventName = keyof Events
export type EventData<N extends EventName> = z.output<Events[N]>

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(requests, name)
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name)
}
