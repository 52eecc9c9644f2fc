import { z } from 'zod'
import { ARCHITECTURES } from './train'
import { RunSummarySchema } from './runs'

export const weightRequests = {
  /**
   * Brings a PyTorch state_dict (safetensors) in as a run of kind "import": checked key by key
   * against the architecture, then evaluated on the dataset's test split.
   */
  'weights.import': {
    params: z
      .object({
        file: z.string().min(1),
        /** The dataset the model was trained on (input shape, classes, normalisation). */
        dataset: z.string().min(1),
        /** Needed for files not written by AdvLab (those carry their spec). */
        arch: z.enum(ARCHITECTURES).optional(),
        width: z.number().positive().max(8).optional(),
        /** Per-channel normalisation the model expects; defaults to the dataset's mean/std. */
        mean: z.array(z.number()).optional(),
        std: z.array(z.number().positive()).optional(),
        name: z.string().trim().min(1).max(200).optional(),
        projectId: z.number().int().positive().optional()
      })
      .strict(),
    result: RunSummarySchema
  },
  /** Writes a run's final weights as a PyTorch state_dict (safetensors) to a file. */
  'weights.export': {
    params: z.object({ id: z.number().int().positive(), out: z.string().min(1) }).strict(),
    result: z.object({ file: z.string(), bytes: z.number().int(), sha256: z.string() })
  }
} as const
