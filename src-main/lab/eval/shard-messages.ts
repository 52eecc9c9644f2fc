/** What an evaluation job and its shard workers say to each other (pool.ts, shard-worker.ts). */
import type { AttackParams } from '../attacks/types'
import type { ModelInput } from '../jobs/messages'
import type { AttackOutcome } from './attack-runner'

export interface ShardTask {
  id: number
  target: ModelInput
  /** Transfer: craft on this model, judge on the target. */
  surrogate?: ModelInput
  /** Seed of the target's randomised layer, if any. */
  defenceSeed: number
  attackId: string
  params: AttackParams
  /** Craft through BPDA/EOT (the target's adaptive view) instead of its plain gradient. */
  adaptive: { eotSamples: number } | null
  offset: number
  keep: number
  images: Float32Array
  labels: Int32Array
}

export type ToShard = { type: 'task'; task: ShardTask } | { type: 'cancel' }

export type FromShard =
  | { type: 'ready' }
  | { type: 'progress'; id: number; done: number }
  | { type: 'result'; id: number; outcome: AttackOutcome }
  | { type: 'error'; id: number; message: string; field?: string; code?: string }
