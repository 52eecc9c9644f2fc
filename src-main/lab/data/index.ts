/** What the rest of AdvLab uses from lab/data. */
export { loadDataset, loadDatasetRecord, type LoadedDataset, type LoadOptions, type LoadSplit } from './loader'
export { openDataset, describeSource, FORMAT_MODULES } from './detect'
export { registerDataset, removeDataset, readPreview } from './registry'
export { ensureBuiltinDatasets, BUILTIN_DATASETS } from './builtins'
export { stratifiedPick } from './subsets'
