import { z } from 'zod'

/** One sample of a gallery, with its own three images, so a row of the screen shows only its sample. */
export const GallerySampleSchema = z.object({
  sampleIndex: z.number().int(),
  labelName: z.string(),
  cleanName: z.string(),
  cleanConfidence: z.number(),
  adversarialName: z.string(),
  adversarialConfidence: z.number(),
  perturbationNorm: z.number(),
  /** PNG data: URLs of this sample's original, amplified perturbation and adversarial image. */
  images: z.object({ original: z.string(), perturbation: z.string(), adversarial: z.string() })
})

export const GallerySchema = z.object({
  evalRunId: z.number().int(),
  attack: z.string(),
  norm: z.string(),
  epsilon: z.number(),
  /**
   * How much the perturbation image is amplified (one factor for the whole gallery: the largest
   * change becomes ± half the grey range around mid-grey); null for a gallery stored before the
   * factor was recorded, whose rows were each scaled on their own.
   */
  amplification: z.number().positive().nullable(),
  cellWidth: z.number().int(),
  cellHeight: z.number().int(),
  samples: z.array(GallerySampleSchema)
})
export type Gallery = z.infer<typeof GallerySchema>
export type GallerySample = z.infer<typeof GallerySampleSchema>

export const galleryRequests = {
  /** The adversarial galleries stored by the evaluations of a model run, newest first. */
  'evaluations.gallery': { params: z.object({ id: z.number().int().positive() }).strict(), result: z.array(GallerySchema) }
} as const
