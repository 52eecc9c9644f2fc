/**
 * Turns anything a request can fail with into the contract's ApiError shape, so every screen shows
 * one readable sentence and never a stack trace.
 */
import { ApiCallError } from '@api/client'
import type { ApiError } from '@api/errors'

export function apiErrorOf(error: unknown): ApiError {
  if (error instanceof ApiCallError) return error.error
  if (isApiError(error)) return error
  const message = error instanceof Error && error.message ? error.message : String(error)
  return { code: 'internal', message: `Something went wrong in the AdvLab window: ${message}` }
}

export function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiError).code === 'string' &&
    typeof (value as ApiError).message === 'string'
  )
}
