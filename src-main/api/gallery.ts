import { z } from 'zod'

export const GallerySampleSchema = z.object({
  sampleIndex: z.number().int(),
  labelName: z.string(),
  cleanName: z.string(),
  cleanConfidence: z.number(),
  adversarialName: z.string(),
  adversarialConfidence: z.number(),
  perturbationNorm: z.number()
})

export const GallerySchema = z.object({
  evalRunId: z.number().int(),
  attack: z.string(),
  norm: z.string(),
  epsilon: z.number(),
  /** One PNG grid as a data: URL; rows are samples, columns `columns`. */
  image: z.string(),
  columns: z.array(z.string()),
  cellWidth: z.number().int(),
  cellHeight: z.number().int(),
  gap: z.number().int(),
  samples: z.array(GallerySampleSchema)
})
export type Gallery = z.infer<typeof GallerySchema>

export const galleryRequests = {
  /** The adversarial galleries stored by the evaluations of a model run, newest first. */
  'evaluations.gallery': { params: z.object({ id: z.number().int().positive() }).strict(), result: z.array(GallerySchema) }
} as const
