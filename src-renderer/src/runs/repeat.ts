/**
 * "Repeat": the same configuration started again with a new seed, so repeats give mean ± std.
 * The stored config is sent back through the request that made it; the service strips nothing,
 * so only fields the request accepts are kept (targetRunIds is the service's own addition).
 */
import type { RunSummary } from '@api/runs'
import { request } from '../api'

type Config = Record<string, unknown>

/** The seed for the next repeat: one above the highest seed already used by that config. */
export function nextSeed(usedSeeds: number[]): number {
  return usedSeeds.length ? Math.max(...usedSeeds) + 1 : 1
}

export function withSeed(kind: string, config: Config, seed: number): Config {
  const { targetRunIds: _added, ...rest } = config
  if (kind === 'distill') {
    const student = { ...(rest.student as Config), seed }
    const teacher = rest.teacher ? { ...(rest.teacher as Config), seed } : undefined
    return teacher ? { ...rest, student, teacher } : { ...rest, student }
  }
  if (kind === 'attack' || kind === 'eval') {
    const { epsilon, ...others } = rest
    return kind === 'attack' ? { ...others, epsilon, seed } : { ...rest, seed }
  }
  return { ...rest, seed }
}

export const REPEATABLE_KINDS = ['train', 'distill', 'attack', 'eval', 'sweep'] as const

export async function repeatRun(kind: string, config: Config, seed: number): Promise<RunSummary> {
  const params = withSeed(kind, config, seed)
  switch (kind) {
    case 'train':
      return request('train.start', params as never)
    case 'distill':
      return request('distill.start', params as never)
    case 'attack':
      return request('attack.start', params as never)
    case 'eval':
      return request('eval.start', params as never)
    case 'sweep':
      return request('sweep.start', params as never)
    default:
      throw new Error(`runs of kind "${kind}" cannot be repeated from here`)
  }
}
