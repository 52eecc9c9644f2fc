/**
 * The corruption library (api/corruption-names.ts lists the ids): generating a corrupted copy of
 * test images on the fly, from a seed. Each image draws its randomness from a seed of its own,
 * derived from the seed, the corruption and the image's index in the dataset — so a corrupted image
 * is the same whichever subset or chunk it is generated in — and not from the severity: an image
 * gets the same draws at every severity (the same noise field, blur angle, fog, first scratches),
 * so its severities differ by the paper's parameter alone. Severity 0 is the image itself.
 */
import { LabError } from '../../api/errors'
import { CORRUPTION_IDS, type CorruptionId } from '../../api/corruption-names'
import { rng, subSeed } from '../attacks/base'
import type { Corruption, Severity } from './corruption'
import type { ImageShape } from './geometry'
import { gaussianNoise, impulseNoise, shotNoise } from './noise'
import { defocusBlur, gaussianBlur, motionBlur } from './blur'
import { brightness, contrast } from './photometric'
import { fog } from './fog'
import { jpeg } from './jpeg'
import { pixelate } from './pixelate'
import { rotation } from './rotation'
import { scratches } from './scratches'

const implemented: Corruption[] = [
  gaussianNoise,
  shotNoise,
  impulseNoise,
  gaussianBlur,
  defocusBlur,
  motionBlur,
  brightness,
  fog,
  contrast,
  jpeg,
  pixelate,
  rotation,
  scratches
]

export const corruptions: Readonly<Record<CorruptionId, Corruption>> = Object.fromEntries(
  CORRUPTION_IDS.map((id) => {
    const c = implemented.find((k) => k.id === id)
    if (!c) throw new Error(`corruption "${id}" is named in api/corruption-names.ts but has no implementation in lab/corruptions`)
    return [id, c]
  })
) as Record<CorruptionId, Corruption>

/**
 * `images` (N·H·W·C values in [0, 1]) under one corruption at one severity (0 to 5). `indices` are
 * the images' positions in their dataset (their own seeds derive from them); 0 … N − 1 by default.
 */
export async function corruptImages(
  images: Float32Array,
  shape: ImageShape,
  id: CorruptionId,
  severity: number,
  seed: number,
  indices?: ArrayLike<number>
): Promise<Float32Array> {
  if (!Number.isInteger(severity) || severity < 0 || severity > 5)
    throw new LabError('bad_input', `Severity ${severity} of corruption "${id}" is not one of 0 (none), 1, 2, 3, 4, 5.`, 'severity')
  const corruption = corruptions[id]
  if (!corruption)
    throw new LabError('bad_input', `There is no corruption "${id}". Known corruptions: ${CORRUPTION_IDS.join(', ')}.`, 'corruptions')
  if (severity === 0) return images.slice()
  const size = shape[0] * shape[1] * shape[2]
  const n = images.length / size
  const out = new Float32Array(images.length)
  for (let i = 0; i < n; i++) {
    const next = rng(subSeed(seed, `${id}/${indices ? indices[i] : i}`))
    out.set(await corruption.apply(images.subarray(i * size, (i + 1) * size), shape, severity as Severity, next), i * size)
  }
  return out
}

export type { Corruption, Severity } from './corruption'
