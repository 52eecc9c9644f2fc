/**
 * Imported first by main.ts, before any schema of the contract is built: our CSP forbids eval, so
 * zod must not even probe for it (the probe is caught, but logs a CSP violation).
 */
import { config } from 'zod'

config({ jitless: true })
