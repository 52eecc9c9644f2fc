/**
 * Built-in architectures (lab/models) as the training loop sees them, and their final weights as
 * a run artifact. The weights file carries the model spec, so any later job (attacks, evaluation,
 * export) can rebuild the exact model from the file alone.
 */
import fs from 'node:fs'
import * as tf from '@tensorflow/tfjs-core'
import type { TrainConfig } from '../../api/train'
import type { JobContext } from '../jobs/job-context'
import { createModel, type Model } from '../models/model'
import type { ModelSpec } from '../models/spec'
import type { ImageSet } from './batches'
import { writeAtomically } from './checkpoints'
import type { TrainableModel } from './model'
import { readSafetensors, writeSafetensors } from './safetensors'

export interface BuiltModel extends TrainableModel {
  model: Model
}

export function modelSpecFor(config: TrainConfig['model'], set: Pick<ImageSet, 'height' | 'width' | 'channels'>, info: { mean: number[]; std: number[]; classes: string[] }, seed: number): ModelSpec {
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

export function buildModel(config: TrainConfig['model'], set: Pick<ImageSet, 'height' | 'width' | 'channels'>, info: { mean: number[]; std: number[]; classes: string[] }, seed: number): BuiltModel {
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

/** Writes the model's weights and buffers (with its spec) and records the file as an artifact. */
export async function saveWeights(ctx: JobContext, built: TrainableModel, _config: TrainConfig['model'], file: string, kind = 'weights'): Promise<void> {
  const model = (built as BuiltModel).model
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>()
  for (const t of model.tensors) tensors.set(t.name, { shape: t.tensor.shape, data: Float32Array.from(await t.tensor.data()) })
  writeAtomically(file, writeSafetensors(tensors, { 'advlab.spec': JSON.stringify(model.spec), 'advlab.layout': 'advlab-nhwc' }))
  await ctx.artifact(kind, file)
}

/** Loads a weights file written by saveWeights into a model of the same spec. */
export function loadWeights(built: TrainableModel, bytes: Uint8Array): void {
  const { tensors } = readSafetensors(bytes)
  built.loadNamedState(new Map([...tensors].map(([name, t]) => [`model.${name}`, t.data])))
}

/** Rebuilds a model from a weights file alone. */
export function modelFromWeightsFile(file: string): BuiltModel {
  const { tensors, metadata } = readSafetensors(fs.readFileSync(file))
  const spec = JSON.parse(metadata['advlab.spec'] ?? 'null') as ModelSpec | null
  if (!spec) throw new Error(`${file} is not an AdvLab weights file (no model spec in its metadata)`)
  const built = adapt(createModel(spec))
  built.loadNamedState(new Map([...tensors].map(([name, t]) => [`model.${name}`, t.data])))
  return built
}
