import { z } from 'zod'
import { BACKEND_CHOICES } from './backends'

export const SettingsSchema = z.object({
  /** Backend to try first instead of the automatic order; null = automatic. */
  backendOverride: z.enum(BACKEND_CHOICES).nullable(),
  /** How many jobs run at once, each in its own worker thread. */
  workers: z.number().int().min(1).max(64),
  /** Cores of this machine (a sensible upper bound for workers). */
  cores: z.number().int(),
  dataDir: z.string()
})
export type Settings = z.infer<typeof SettingsSchema>

export const settingsRequests = {
  'settings.get': { params: z.object({}).strict(), result: SettingsSchema },
  'settings.set': {
    params: z
      .object({
        backendOverride: z.enum(BACKEND_CHOICES).nullable().optional(),
        workers: z.number().int().min(1).max(64).optional()
      })
      .strict(),
    result: SettingsSchema
  }
} as const
