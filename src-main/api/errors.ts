import { z } from 'zod'

/** Every error a client can see. `field` names the offending input (dot path) when there is one. */
export const ApiErrorSchema = z.object({
  code: z.enum([
    'invalid_params', // the request did not match its schema
    'unknown_method', // no such request in the contract
    'not_found', // the named thing does not exist
    'conflict', // the request clashes with what is in the log (e.g. a duplicate name)
    'unauthorized', // transport refused the caller (missing/wrong token)
    'bad_input', // a file or value the user supplied cannot be used
    'unavailable', // something the request needs is not present on this machine
    'internal' // a bug: the message says what was being done; details go to the log
  ]),
  message: z.string(),
  field: z.string().optional()
})
export type ApiError = z.infer<typeof ApiErrorSchema>
export type ApiErrorCode = ApiError['code']

/** Thrown by lab handlers; the dispatcher turns it into an ApiError response. */
export class LabError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly field?: string
  ) {
    super(message)
    this.name = 'LabError'
  }

  toApiError(): ApiError {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field }
  }
}

/** Turns a zod failure into one readable message naming the first offending field. */
export function describeZodError(error: z.ZodError, what: string): ApiError {
  const first = error.issues[0]
  const field = first && first.path.length > 0 ? first.path.map(String).join('.') : undefined
  const message = first
    ? `${what}: ${field ? `field "${field}"` : 'value'} ${first.message.charAt(0).toLowerCase()}${first.message.slice(1)}`
    : `${what}: invalid value`
  return field === undefined ? { code: 'invalid_params', message } : { code: 'invalid_params', message, field }
}
