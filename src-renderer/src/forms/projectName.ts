/**
 * Checks a project name in the window before sending it, with the contract's own schema (one rule,
 * declared once in src-main/api/projects.ts), and says what is wrong as an i18n key + values.
 */
import { ProjectNameSchema } from '@api/projects'

export interface FieldProblem {
  key: string
  values?: Record<string, unknown>
}

export function projectNameProblem(name: string): FieldProblem | null {
  const result = ProjectNameSchema.safeParse(name)
  if (result.success) return null
  const issue = result.error.issues[0]
  if (issue?.code === 'too_big') return { key: 'projects.nameTooLong', values: { max: Number(issue.maximum), length: name.trim().length } }
  return { key: 'projects.nameRequired' }
}
