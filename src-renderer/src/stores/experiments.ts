/**
 * Starting experiments: the wizards' requests (train, distill, sweep, eval start and the measured
 * training estimate). Failures are shown in place by the wizard (its LaunchError / estimate line),
 * so every request here is `inPlace`. Each start answers with the ids of the runs it created.
 */
import { defineStore } from 'pinia'
import type { Params } from '@api/contract'
import { request } from '../api'

export const useExperimentsStore = defineStore('experiments', () => {
  /** A few training steps measured on the active backend. */
  const estimateTraining = (config: Params<'train.estimate'>) => request('train.estimate', config, { inPlace: true })

  /** One training run per config, in order (repeats are the same config with the next seed). */
  async function startTraining(configs: Params<'train.start'>[]): Promise<number[]> {
    const started: number[] = []
    for (const config of configs) started.push((await request('train.start', config, { inPlace: true })).id)
    return started
  }

  const startDistillation = async (config: Params<'distill.start'>) => [(await request('distill.start', config, { inPlace: true })).id]
  const startSweep = async (params: Params<'sweep.start'>) => [(await request('sweep.start', params, { inPlace: true })).id]
  const startEvaluation = async (params: Params<'eval.start'>) => [(await request('eval.start', params, { inPlace: true })).id]

  return { estimateTraining, startTraining, startDistillation, startSweep, startEvaluation }
})
