import fs from 'node:fs'
import path from 'node:path'
import type { Handlers } from './handler'
import type { Gallery } from '../../api/gallery'
import { getRun } from '../store/runs'
import { logEvent } from '../store/events'
import { galleriesOfModelRun } from '../store/artifacts'

interface GalleryFile {
  attack: string
  norm: string
  epsilon: number
  columns: string[]
  layout: { cellWidth: number; cellHeight: number; gap: number }
  samples: Gallery['samples']
}

export const galleryHandlers: Handlers<'evaluations.gallery'> = {
  'evaluations.gallery': ({ id }, { db, dataDir }) => {
    getRun(db, id)
    // Galleries are artifacts of the evaluation runs that attacked this model run.
    const pngs = galleriesOfModelRun(db, id)
    const galleries: Gallery[] = []
    for (const { evalRunId, path: png } of pngs) {
      const pngFile = path.join(dataDir, png)
      const jsonFile = pngFile.replace(/\.png$/, '.json')
      try {
        const meta = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as GalleryFile
        galleries.push({
          evalRunId,
          attack: meta.attack,
          norm: meta.norm,
          epsilon: meta.epsilon,
          image: `data:image/png;base64,${fs.readFileSync(pngFile).toString('base64')}`,
          columns: meta.columns,
          cellWidth: meta.layout.cellWidth,
          cellHeight: meta.layout.cellHeight,
          gap: meta.layout.gap,
          samples: meta.samples
        })
      } catch (error) {
        // A gallery whose files went missing is skipped, and the log says which one.
        logEvent(db, evalRunId, 'warn', `The gallery ${pngFile} could not be read: ${(error as Error).message}`)
      }
    }
    return galleries
  }
}
