/**
 * The gallery of adversarial examples stored with an evaluation: per sample the original, the
 * perturbation (amplified by one factor for the whole gallery, so the largest change spans the grey
 * range around mid-grey and an 8/255 change is visible; the factor is stored and stated on screen),
 * the adversarial image, and both predictions with their confidence. One PNG grid (rows = samples,
 * columns = original | perturbation | adversarial, drawn by the dataset preview's encoder) and one
 * JSON file with the predictions; the service cuts the grid into each sample's images.
 */
import fs from 'node:fs'
import path from 'node:path'
import { renderPreviewGrid } from '../data/preview'

export interface GalleryEntry {
  sampleIndex: number
  label: number
  cleanPrediction: number
  cleanConfidence: number
  adversarialPrediction: number
  adversarialConfidence: number
  perturbationNorm: number
}

export interface GalleryInput {
  shape: [number, number, number]
  originals: Float32Array
  adversarials: Float32Array
  entries: GalleryEntry[]
  classes: string[]
  attack: string
  norm: string
  epsilon: number
}

const toBytes = (v: number) => Math.max(0, Math.min(255, Math.round(v * 255)))

/**
 * The perturbation images' gain: the largest change of any sample maps to ± 0.5 around mid-grey.
 * One factor for all rows, so rows compare with each other and the screen can state it; 1 when
 * nothing changed.
 */
export function galleryAmplification(input: Pick<GalleryInput, 'originals' | 'adversarials'>): number {
  let largest = 0
  for (let i = 0; i < input.originals.length; i++) largest = Math.max(largest, Math.abs(input.adversarials[i] - input.originals[i]))
  return largest > 0 ? 0.5 / largest : 1
}

/** Each sample's original, amplified perturbation and adversarial image as bytes, and the gain used. */
export function galleryRows(input: GalleryInput): { rows: Uint8Array[][]; amplification: number } {
  const [h, w, c] = input.shape
  const size = h * w * c
  const gain = galleryAmplification({
    originals: input.originals.subarray(0, input.entries.length * size),
    adversarials: input.adversarials.subarray(0, input.entries.length * size)
  })
  const rows = input.entries.map((_, s) => {
    const original = new Uint8Array(size)
    const perturbation = new Uint8Array(size)
    const adversarial = new Uint8Array(size)
    for (let i = 0; i < size; i++) {
      const o = input.originals[s * size + i]
      const a = input.adversarials[s * size + i]
      original[i] = toBytes(o)
      adversarial[i] = toBytes(a)
      perturbation[i] = toBytes(0.5 + (a - o) * gain)
    }
    return [original, perturbation, adversarial]
  })
  return { rows, amplification: gain }
}

/** Writes gallery.png and gallery.json under `dir`; returns their paths. */
export async function writeGallery(dir: string, name: string, input: GalleryInput): Promise<{ png: string; json: string }> {
  fs.mkdirSync(dir, { recursive: true })
  const [h, w, c] = input.shape
  const { rows, amplification } = galleryRows(input)
  const { png, layout } = await renderPreviewGrid(rows, { height: h, width: w, channels: c }, 3)
  const pngFile = path.join(dir, `${name}.png`)
  const jsonFile = path.join(dir, `${name}.json`)
  fs.writeFileSync(pngFile, png)
  const named = (k: number) => input.classes[k] ?? String(k)
  fs.writeFileSync(
    jsonFile,
    JSON.stringify(
      {
        attack: input.attack,
        norm: input.norm,
        epsilon: input.epsilon,
        columns: ['original', 'perturbation (amplified)', 'adversarial'],
        amplification,
        layout,
        samples: input.entries.map((e) => ({
          ...e,
          labelName: named(e.label),
          cleanName: named(e.cleanPrediction),
          adversarialName: named(e.adversarialPrediction)
        }))
      },
      null,
      2
    )
  )
  return { png: pngFile, json: jsonFile }
}
