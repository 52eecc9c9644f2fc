/**
 * Field errors from the contract's own zod schemas, so the wizards check exactly what the service
 * will check: issue path "optimizer.lr" → message, filtered to the fields of one wizard step.
 */
import type { z } from 'zod'
import { parseEpsilon } from '@api/epsilon'

export type FieldErrors = Record<string, string>

export function fieldErrors(schema: z.ZodType, value: unknown): FieldErrors {
  const parsed = schema.safeParse(value)
  if (parsed.success) return {}
  const errors: FieldErrors = {}
  for (const issue of parsed.error.issues) {
    const key = issue.path.map(String).join('.') || '_'
    if (!(key in errors)) errors[key] = issue.message
  }
  return errors
}

/** Only the errors of fields whose path starts with one of `prefixes`. */
export function errorsFor(errors: FieldErrors, prefixes: string[]): FieldErrors {
  return Object.fromEntries(Object.entries(errors).filter(([key]) => prefixes.some((p) => key === p || key.startsWith(`${p}.`))))
}

/** "2/255, 4/255, 0.03" → [2/255, 4/255, 0.03] (each read by the contract's parseEpsilon); null when a part is not an ε. */
export function parseEpsilonList(text: string): number[] | null {
  const parts = text.split(/[,\s]+/).filter(Boolean)
  if (parts.length === 0) return null
  try {
    return parts.map((part) => parseEpsilon(part))
  } catch {
    return null
  }
}

/** A number input's value: empty text → undefined (the schema default applies). */
export function optionalNumber(text: string | number | null | undefined): number | undefined {
  if (text === null || text === undefined || text === '') return undefined
  const value = Number(text)
  return Number.isFinite(value) ? value : Number.NaN
}
