/** One shard task, in whichever thread runs it: models loaded once per file and reused. */
import type { Classifier } from '../attacks/types'
import { runAttackChunks, type AttackOutcome } from './attack-runner'
import { findAttack } from './attack-registry'
import { loadTarget, type LoadedTarget } from './model-input'
import type { ShardTask } from './shard-messages'

export class TargetCache {
  private loaded = new Map<string, LoadedTarget>()

  get(input: ShardTask['target'], seed: number): LoadedTarget {
    const key = `${input.weightsFile}\u0000${JSON.stringify(input.defence)}\u0000${seed}`
    let t = this.loaded.get(key)
    if (!t) {
      t = loadTarget(input, seed)
      this.loaded.set(key, t)
    }
    return t
  }

  dispose(): void {
    for (const t of this.loaded.values()) t.dispose()
    this.loaded.clear()
  }
}

export function runTask(
  cache: TargetCache,
  task: ShardTask,
  progress: (done: number) => void,
  cancelled: () => boolean
): Promise<AttackOutcome> {
  const target = cache.get(task.target, task.defenceSeed)
  const judge = target.classifier
  let crafter: Classifier = judge
  if (task.surrogate) crafter = cache.get(task.surrogate, task.defenceSeed).classifier
  else if (task.adaptive) crafter = judge.adaptive({ eotSamples: task.adaptive.eotSamples })
  return runAttackChunks(
    crafter,
    judge,
    { attack: findAttack(task.attackId), params: task.params, offset: task.offset, keep: task.keep },
    task.images,
    task.labels,
    progress,
    cancelled
  )
}
