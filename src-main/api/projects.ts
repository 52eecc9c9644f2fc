import { z } from 'zod'

export const ProjectNameSchema = z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters')

export const ProjectSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  runCount: z.number().int()
})
export type Project = z.infer<typeof ProjectSchema>

export const projectRequests = {
  'projects.list': { params: z.object({}).strict(), result: z.array(ProjectSchema) },
  'projects.create': { params: z.object({ name: ProjectNameSchema }).strict(), result: ProjectSchema },
  'projects.rename': {
    params: z.object({ id: z.number().int().positive(), name: ProjectNameSchema }).strict(),
    result: ProjectSchema
  }
} as const

export const projectEvents = {
  /** Something about the list of projects changed; clients re-read it. */
  'projects.changed': z.object({ id: z.number().int() })
} as const
