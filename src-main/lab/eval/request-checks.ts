/**
 * What an attack, evaluation or sweep request is checked against when it arrives, before a run is
 * created: the attack and its settings against the catalogue (api/attacks), ε against the norm and
 * the target's images (api/epsilon-range.ts), and the sample count against the test split.
 */
import type Database from 'better-sqlite3'
import { checkAttackChoice, type Norm } from '../../api/attacks'
import { requireEpsilon } from '../../api/epsilon-range'
import { getDatasetRecord } from '../store/datasets'

/** What a request needs to know about the target's dataset. */
export interface TargetImages {
  name: string
  shape: { height: number; width: number; channels: number }
  testImages: number
  classes: number
}

export function targetImages(db: Database.Database, datasetId: number | null): TargetImages | null {
  if (datasetId === null) return null
  const { name, info } = getDatasetRecord(db, datasetId)
  return { name, shape: info.shape, testImages: info.splits.test ?? 0, classes: info.classes.length }
}

/** One attack with its settings at each ε of the request: exists, supports the norm, knows its settings, ε in range. */
export function checkAttackAt(
  choice: { attack: string; settings?: Record<string, unknown> },
  norm: Norm,
  epsilons: { value: number; field: string }[],
  images: TargetImages | null,
  field: string
): void {
  for (const e of epsilons) requireEpsilon(e.value, norm, images?.shape, e.field)
  if (epsilons.length === 0 || !images) return checkAttackChoice(choice, norm, undefined, field)
  for (const e of epsilons) checkAttackChoice(choice, norm, { epsilon: e.value, numClasses: images.classes }, field)
}

/**
 * More samples than the test split has: evaluated on all of them, said in a warning stored with
 * the run (and the clamped n in its config), never silently. Returns the n to use.
 */
export function clampSamples(n: number, images: TargetImages | null, warnings: string[], field = 'n'): number {
  if (!images || n <= images.testImages) return n
  warnings.push(
    `${field} = ${n} asks for more test images than dataset "${images.name}" has (${images.testImages}); every one of its ${images.testImages} test images is used instead.`
  )
  return images.testImages
}
