import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import type { Handlers } from './handler'
import type { Gallery, GallerySample } from '../../api/gallery'
import { getRun } from '../store/runs'
import { logEvent } from '../store/events'
import { galleriesOfModelRun } from '../store/artifacts'

interface GalleryFile {
  attack: string
  norm: string
  epsilon: number
  /** Absent in galleries written before one factor was used for all rows. */
  amplification?: number
  layout: { cellWidth: number; cellHeight: number; gap: number }
  samples: Omit<GallerySample, 'images'>[]
}

const COLUMNS = ['original', 'perturbation', 'adversarial'] as const

/**
 * Cuts a stored grid (rows = samples, columns = original | perturbation | adversarial, `gap`
 * pixels around each cell) into each sample's three images, so each row of the screen carries
 * its own images instead of sitting beside one tall strip it may not line up with.
 */
async function sampleImages(grid: Buffer, layout: GalleryFile['layout'], row: number): Promise<GallerySample['images']> {
  const { cellWidth: width, cellHeight: height, gap } = layout
  const cut = async (column: number) => {
    const cell = await sharp(grid)
      .extract({ left: gap + column * (width + gap), top: gap + row * (height + gap), width, height })
      .png()
      .toBuffer()
    return `data:image/png;base64,${cell.toString('base64')}`
  }
  const [original, perturbation, adversarial] = await Promise.all(COLUMNS.map((_, column) => cut(column)))
  return { original, perturbation, adversarial }
}

export const galleryHandlers: Handlers<'evaluations.gallery'> = {
  'evaluations.gallery': async ({ id }, { db, dataDir }) => {
    getRun(db, id)
    // Galleries are artifacts of the evaluation runs that attacked this model run.
    const pngs = galleriesOfModelRun(db, id)
    const galleries: Gallery[] = []
    for (const { evalRunId, path: png } of pngs) {
      const pngFile = path.join(dataDir, png)
      const jsonFile = pngFile.replace(/\.png$/, '.json')
      try {
        const meta = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as GalleryFile
        const grid = fs.readFileSync(pngFile)
        const samples = await Promise.all(
          meta.samples.map(async (s, row) => ({ ...s, images: await sampleImages(grid, meta.layout, row) }))
        )
        galleries.push({
          evalRunId,
          attack: meta.attack,
          norm: meta.norm,
          epsilon: meta.epsilon,
          amplification: meta.amplification ?? null,
          cellWidth: meta.layout.cellWidth,
          cellHeight: meta.layout.cellHeight,
          samples
        })
      } catch (error) {
        // A gallery whose files went missing is skipped, and the log says which one.
        logEvent(db, evalRunId, 'warn', `The gallery ${pngFile} could not be read: ${(error as Error).message}`)
      }
    }
    return galleries
  }
}
