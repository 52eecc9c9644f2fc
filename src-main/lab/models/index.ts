/** The models API used by training, attacks, evaluation and the worker pool. */
export { createModel, paramCount, type Model, type NamedTensor, type ForwardOptions, type CreateModelOptions } from './model'
export { ARCHITECTURES, isArchitecture, normaliseSpec, type Architecture, type ModelSpec } from './spec'
export { crossEntropy, inputGradient, trainingGradients, type LossFn, type InputGradient, type TrainingGradients } from './gradient'
export { exportStateDict, importStateDict, readSpec, SPEC_METADATA_KEY, type ImportOptions } from './stateDict'
export { readSafetensors, writeSafetensors, type SafeTensor, type SafeFile, type SafeDtype } from './safetensors'
