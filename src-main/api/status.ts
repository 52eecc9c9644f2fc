import { z } from 'zod'

export const BackendInfoSchema = z.object({
  /** The backend the engine runs on: tensorflow-gpu, tensorflow, wasm or cpu. */
  name: z.string(),
  /** What the backend computes on, in words (e.g. "CPU (WASM SIMD, 1 thread per worker)"). */
  device: z.string(),
  /** Why each candidate before the chosen one was skipped. */
  skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
  tfjsVersion: z.string()
})
export type BackendInfo = z.infer<typeof BackendInfoSchema>

export const StatusSchema = z.object({
  app: z.object({ name: z.literal('AdvLab'), version: z.string() }),
  versions: z.object({ node: z.string(), sqlite: z.string(), electron: z.string().nullable() }),
  dataDir: z.string(),
  logPath: z.string(),
  /** Set when the log found at start-up could not be used and was set aside. */
  setAside: z.object({ path: z.string(), reason: z.string() }).nullable(),
  backend: BackendInfoSchema,
  counts: z.object({ projects: z.number().int(), runs: z.number().int(), datasets: z.number().int() })
})
export type Status = z.infer<typeof StatusSchema>

export const statusRequests = {
  'status.get': { params: z.object({}).strict(), result: StatusSchema }
} as const
