import type { Transport } from '../api/client'
import type { LabService } from './service'

/** The transport of the CLI and of tests: the lab service in the same process. */
export function inProcessTransport(lab: LabService): Transport {
  return {
    request: (method, params) => lab.handle(method, structuredClone(params)),
    onEvent: (listener) => lab.subscribe(listener)
  }
}
