/**
 * The gallery of adversarial examples stored with an evaluation: per sample the original, the
 * perturbation (amplified to the full grey range around mid-grey, so an 8/255 change is visible),
 * the adversarial image, and both predictions with their confidence. One PNG grid (rows = samples,
 * columns = original | perturbation | adversarial, drawn by the dataset preview's encoder) and one
 * JSON file with the predictions.
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

export function galleryRows(input: GalleryInput): Uint8Array[][] {
  const [h, w, c] = input.shape
  const size = h * w * c
  return input.entries.map((_, s) => {
    const original = new Uint8Array(size)
    const perturbation = new Uint8Array(size)
    const adversarial = new Uint8Array(size)
    let largest = 0
    for (let i = 0; i < size; i++) largest = Math.max(largest, Math.abs(input.adversarials[s * size + i] - input.originals[s * size + i]))
    const gain = largest > 0 ? 0.5 / largest : 0
    for (let i = 0; i < size; i++) {
      const o = input.originals[s * size + i]
      const a = input.adversarials[s * size + i]
      original[i] = toBytes(o)
      adversarial[i] = toBytes(a)
      perturbation[i] = toBytes(0.5 + (a - o) * gain)
    }
    return [original, perturbation, adversarial]
  })
}

/** Writes gallery.png and gallery.json under `dir`; returns their paths. */
export async function writeGallery(dir: string, name: string, input: GalleryInput): Promise<{ png: string; json: string }> {
  fs.mkdirSync(dir, { recursive: true })
  const [h, w, c] = input.shape
  const { png, layout } = await renderPreviewGrid(galleryRows(input), { height: h, width: w, channels: c }, 3)
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
        layout,
        samples: input.entries.map((e) => ({ ...e, labelName: named(e.label), cleanName: named(e.cleanPrediction), adversarialName: named(e.adversarialPrediction) }))
      },
      null,
      2
    )
  )
  return { png: pngFile, json: jsonFile }
}
