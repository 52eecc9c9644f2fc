/**
 * A model run rebuilt for evaluation: its final weights (the file carries the model spec) and the
 * defence recorded in its config, so a toy layer is put back in front of the model.
 */
import type { Defence } from '../../api/evaluation'
import type { ModelInput } from '../jobs/messages'
import { modelFromWeightsFile } from '../train/build-model'
import type { Model } from '../models/model'
import { classifierFor, type DefendedClassifier } from '../defences/classifier'

/** The defence of a train run (`defence`), a distill run (`student.defence`) or a wrapped run. */
export function defenceOfConfig(config: Record<string, unknown>): Defence | null {
  const own = config.defence as Defence | undefined
  if (own) return own
  const student = config.student as { defence?: Defence } | undefined
  return student?.defence ?? null
}

export interface LoadedTarget {
  input: ModelInput
  model: Model
  defence: Defence | null
  classifier: DefendedClassifier
  dispose(): void
}

export function loadTarget(input: ModelInput, seed: number): LoadedTarget {
  const built = modelFromWeightsFile(input.weightsFile)
  const defence = defenceOfConfig(input.config)
  return {
    input,
    model: built.model,
    defence,
    classifier: classifierFor(built.model, defence, seed),
    dispose: () => built.dispose()
  }
}
