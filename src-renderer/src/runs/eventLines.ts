/**
 * A run's events log as the detail screen shows it: each event once, and the events that state a
 * fact (completed with its figures, cancelled or resumed at a step) written in the user's language
 * with formatted numbers rather than the log's English line or JSON summary. Pure functions, so
 * the texts are tested without a window.
 */
import type { RunEvent, RunStatus } from '@api/runs'
import { ACCURACY_FIGURES, SUMMARY_FIGURES, type SummaryFigure } from '@api/run-events'
import { formatDuration, percent } from './format'

export type Translate = (key: string, named?: Record<string, unknown>) => string

/** The events shown so far and newly fetched ones, each once and in order: two overlapping fetches repeated lines. */
export function mergeEvents(shown: RunEvent[], fetched: RunEvent[], keep = 1000): RunEvent[] {
  const byId = new Map(shown.map((e) => [e.id, e]))
  for (const e of fetched) byId.set(e.id, e)
  return [...byId.values()].sort((a, b) => a.id - b.id).slice(-keep)
}

function figureText(figure: SummaryFigure, value: number, language: string): string {
  if (ACCURACY_FIGURES.includes(figure)) return percent(value, 2)
  if (figure === 'seconds') return formatDuration(value, language)
  return value.toLocaleString(language)
}

/** One line of the events log in the user's language. */
export function eventText(event: RunEvent, t: Translate, language: string): string {
  const fact = event.fact
  if (!fact) return event.message
  switch (fact.kind) {
    case 'completed': {
      const figures = SUMMARY_FIGURES.filter((f) => fact.figures[f] !== undefined).map((f) =>
        t(`detail.figures.${f}`, { value: figureText(f, fact.figures[f]!, language) })
      )
      return figures.length ? t('detail.completedWith', { figures: figures.join(t('detail.figureSeparator')) }) : t('detail.completed')
    }
    case 'cancelled':
      return fact.at ? t('detail.cancelledAt', fact.at) : t('detail.cancelled')
    case 'resumed':
      return t('detail.resumedAt', fact.at)
  }
}

/**
 * Where the run stands between cancel and resume, from the newest cancel or resume fact: a
 * cancelled training says resume continues from the step it checkpointed; a queued or running
 * resume says the step it resumes at. Null when there is nothing to say.
 */
export function resumeNote(events: RunEvent[], status: RunStatus, t: Translate): string | null {
  const last = [...events]
    .reverse()
    .find((e) => e.fact?.kind === 'cancelled' || e.fact?.kind === 'resumed' || e.fact?.kind === 'completed')?.fact
  if (!last || last.kind === 'completed') return null
  if (last.kind === 'resumed') return status === 'running' ? t('detail.resumesAt', last.at) : null
  if (!last.at) return null
  if (status === 'cancelled') return t('detail.resumeWillContinue', last.at)
  // Resume pressed: the job has not reported its checkpoint yet, but it is the one the cancel wrote.
  if (status === 'queued' || status === 'running') return t('detail.resumesAt', last.at)
  return null
}
