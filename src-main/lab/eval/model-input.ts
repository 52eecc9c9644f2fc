/**
 * A model run rebuilt for evaluation: its final weights (the file carries the model spec) and the
 * defence recorded in its config (read by run kind when the job's inputs are resolved,
 * api/run-configs.ts defenceOfModelRun), so a toy layer is put back in front of the model.
 */
import type { Defence } from '../../api/defences'
import type { ModelInput } from '../jobs/messages'
import { modelFromWeightsFile } from '../train/build-model'
import type { Model } from '../models/model'
import { classifierFor, type DefendedClassifier } from '../defences/classifier'

export interface LoadedTarget {
  input: ModelInput
  model: Model
  defence: Defence | null
  classifier: DefendedClassifier
  dispose(): void
}

export function loadTarget(input: ModelInput, seed: number): LoadedTarget {
  const built = modelFromWeightsFile(input.weightsFile)
  const defence = input.defence
  return {
    input,
    model: built.model,
    defence,
    classifier: classifierFor(built.model, defence, seed),
    dispose: () => built.dispose()
  }
}
