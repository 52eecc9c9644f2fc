/**
 * Field errors from the contract's own zod schemas, so the wizards check exactly what the service
 * will check: issue path "optimizer.lr" → message, filtered to the fields of one wizard step.
 * The message is worded from the issue's structured facts (code, bound, expected type) in the
 * user's language — the validator's own text reads "Too small: expected number to be >0".
 */
import type { z } from 'zod'
import { parseEpsilon } from '@api/epsilon'

export type FieldErrors = Record<string, string>

/** What a field's problem is, as an i18n key (under `validation.`) and its values. */
export interface IssueWords {
  key: string
  values?: Record<string, unknown>
}

type Issue = z.core.$ZodIssue & { input?: unknown }

const isEmpty = (input: unknown) =>
  input === '' || input === undefined || input === null || (typeof input === 'number' && Number.isNaN(input))

/** An issue in words; null for a rule only the contract can word (a refinement), whose own message stays. */
export function issueWords(issue: Issue): IssueWords | null {
  switch (issue.code) {
    case 'invalid_type':
      if (isEmpty(issue.input)) return { key: 'validation.empty' }
      if (issue.expected === 'int') return { key: 'validation.wholeNumber' }
      if (issue.expected === 'number') return { key: 'validation.number' }
      return { key: 'validation.invalid' }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small'
      const bound = Number(small ? issue.minimum : issue.maximum)
      const inclusive = issue.inclusive !== false
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
        return { key: `validation.${small ? (inclusive ? 'atLeast' : 'above') : inclusive ? 'atMost' : 'below'}`, values: { bound } }
      if (issue.origin === 'string')
        return small && bound <= 1
          ? { key: 'validation.empty' }
          : { key: small ? 'validation.atLeastChars' : 'validation.atMostChars', values: { bound } }
      if (issue.origin === 'array' || issue.origin === 'set')
        return { key: small ? 'validation.atLeastItems' : 'validation.atMostItems', values: { bound } }
      return { key: 'validation.invalid' }
    }
    case 'invalid_value':
      return { key: 'validation.oneOf', values: { options: issue.values.map(String).join(', ') } }
    case 'invalid_format':
      return { key: 'validation.format' }
    case 'not_multiple_of':
      return { key: 'validation.multipleOf', values: { step: Number(issue.divisor) } }
    case 'unrecognized_keys':
      return { key: 'validation.unknownKeys', values: { keys: issue.keys.join(', ') } }
    default:
      return null
  }
}

/**
 * Each field's first problem. `say` words it in the user's language (the screens pass their t);
 * without it, the contract's own (English) message is kept — as the service would answer.
 */
export function fieldErrors(
  schema: z.ZodType,
  value: unknown,
  say?: (key: string, values?: Record<string, unknown>) => string
): FieldErrors {
  const parsed = schema.safeParse(value, { reportInput: true })
  if (parsed.success) return {}
  const errors: FieldErrors = {}
  for (const issue of parsed.error.issues as Issue[]) {
    const key = issue.path.map(String).join('.') || '_'
    if (key in errors) continue
    const words = say ? issueWords(issue) : null
    errors[key] = words ? say!(words.key, words.values) : issue.message
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
