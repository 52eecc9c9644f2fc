import fs from 'node:fs'
import path from 'node:path'
import type { Handlers } from './handler'
import { LabError } from '../../api/errors'
import { getRun } from '../store/runs'
import { latestWeights } from '../store/artifacts'
import { datasetIdNamed, startRun } from '../jobs/start-run'
import { readSafetensors } from '../models/safetensors'
import type { ImportRunConfig } from '../../api/run-configs'

export const weightHandlers: Handlers<'weights.import' | 'weights.export'> = {
  'weights.import': async (params, ctx) => {
    const file = path.resolve(params.file)
    let bytes: Buffer
    try {
      bytes = fs.readFileSync(file)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      throw new LabError(
        'bad_input',
        code === 'ENOENT' ? `The weights file ${file} does not exist.` : `The weights file ${file} cannot be read (${code}).`,
        'file'
      )
    }
    let metadata: Record<string, string>
    try {
      metadata = readSafetensors(bytes, file).metadata
    } catch (error) {
      throw new LabError(
        'bad_input',
        `${file} is not a safetensors file: ${(error as Error).message}. Save the state_dict with safetensors.torch.save_file.`,
        'file'
      )
    }
    if (!metadata['advlab.spec'] && !params.arch)
      throw new LabError('bad_input', `${file} does not say which architecture it holds; give arch (mlp, cnn-small or resnet18).`, 'arch')
    const datasetId = await datasetIdNamed(ctx, params.dataset)
    // The architecture is recorded with the run even when the file states it, so the run is filed
    // (and filtered) under it like any other model (store/model-identity.ts).
    const stored = metadata['advlab.spec'] ? (JSON.parse(metadata['advlab.spec']) as { arch?: ImportRunConfig['arch'] }) : null
    const config: ImportRunConfig = { ...params, file, arch: params.arch ?? stored?.arch }
    return startRun(ctx, {
      order: { kind: 'import', config },
      datasetId,
      seed: 0,
      name: params.name ?? `Imported ${path.basename(file)}`,
      projectId: params.projectId
    })
  },
  'weights.export': ({ id, out }, { db, dataDir }) => {
    getRun(db, id)
    const artifact = latestWeights(db, id)
    if (!artifact)
      throw new LabError('not_found', `Run ${id} has no final weights (it has not completed, or it is not a training run).`, 'id')
    const target = path.resolve(out)
    try {
      fs.mkdirSync(path.dirname(target), { recursive: true })
      fs.copyFileSync(path.join(dataDir, artifact.path), target)
    } catch (error) {
      throw new LabError('bad_input', `Cannot write ${target} (${(error as NodeJS.ErrnoException).code}); choose another path.`, 'out')
    }
    return { file: target, bytes: artifact.bytes, sha256: artifact.sha256 }
  }
}
