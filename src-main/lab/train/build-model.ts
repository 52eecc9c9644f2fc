/**
 * Built-in architectures (lab/models) as the training loop sees them, and their final weights as
 * a run artifact. The weights file carries the model spec, so any later job (attacks, evaluation,
 * export) can rebuild the exact model from the file alone.
 */
import fs from 'node:fs'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import type { TrainConfig } from '../../api/train'
import type { JobContext } from '../jobs/job-context'
import { createModel, type Model } from '../models/model'
import type { ModelSpec } from '../models/spec'
import type { ImageSet } from './batches'
import { writeAtomically } from './checkpoints'
import type { TrainableModel } from './model'
import { exportStateDict, importStateDict, readSpec } from '../models/stateDict'

export interface BuiltModel extends TrainableModel {
  model: Model
}

export function modelSpecFor(
  config: TrainConfig['model'],
  set: Pick<ImageSet, 'height' | 'width' | 'channels'>,
  info: { mean: number[]; std: number[]; classes: string[] },
  seed: number
): ModelSpec {
  return {
    arch: config.arch,
    inputShape: [set.height, set.width, set.channels],
    numClasses: info.classes.length,
    width: config.width,
    mean: info.mean,
    std: info.std,
    seed
  }
}

export function buildModel(
  config: TrainConfig['model'],
  set: Pick<ImageSet, 'height' | 'width' | 'channels'>,
  info: { mean: number[]; std: number[]; classes: string[] },
  seed: number
): BuiltModel {
  return adapt(createModel(modelSpecFor(config, set, info, seed)))
}

export function adapt(model: Model): BuiltModel {
  return {
    model,
    variables: model.trainableVariables(),
    forward: (x, training) => model.forward(x, { training }),
    namedState: () => new Map(model.tensors.map((t) => [`model.${t.name}`, t.tensor as tf.Tensor])),
    loadNamedState(values) {
      for (const t of model.tensors) {
        const v = values.get(`model.${t.name}`)
        if (!v) throw new Error(`the checkpoint has no tensor model.${t.name}`)
        t.tensor.assign(tf.tensor(v, t.tensor.shape, t.tensor.dtype))
      }
    },
    dispose: () => model.dispose()
  }
}

/**
 * Writes the model as a PyTorch state_dict (safetensors, spec in the metadata) and records it as
 * an artifact: the same file `lab export-weights` hands out and `lab import-weights` takes in.
 */
export async function saveWeights(ctx: JobContext, built: TrainableModel, file: string, kind = 'weights'): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  writeAtomically(file, exportStateDict((built as BuiltModel).model))
  await ctx.artifact(kind, file)
}

/** Loads a weights file written by saveWeights (or a compatible PyTorch export) into a model of the same spec. */
export function loadWeights(built: TrainableModel, bytes: Uint8Array, source = 'weights file'): void {
  importStateDict((built as BuiltModel).model, bytes, { source })
}

/** Rebuilds a model from a weights file alone. */
export function modelFromWeightsFile(file: string): BuiltModel {
  const bytes = fs.readFileSync(file)
  const spec = readSpec(bytes)
  if (!spec) throw new Error(`${file} is not an AdvLab weights file (no model spec in its metadata)`)
  const built = adapt(createModel(spec))
  loadWeights(built, bytes, file)
  return built
}
