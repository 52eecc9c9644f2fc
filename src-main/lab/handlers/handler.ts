import type { z } from 'zod'
import type { RequestName, Requests, Result } from '../../api/contract'
import type { LabContext } from '../context'

/** A request's handler: its validated params and the lab's context in, the contract's result out. */
export type Handler<N extends RequestName> = (params: z.output<Requests[N]['params']>, ctx: LabContext) => Result<N> | Promise<Result<N>>

/** The handlers of a group of requests (one contract file's). */
export type Handlers<N extends RequestName = RequestName> = { [K in N]: Handler<K> }
