/**
 * Run kinds, their configs and their jobs, declared once: every run kind has a config schema, every
 * kind with a job has a job function, and a config of the wrong shape for its kind is refused where
 * a job is started — before any worker sees it.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { RUN_KINDS } from '../../../src-main/api/runs'
import { JOB_RUN_KINDS, RUN_CONFIG_SCHEMAS, defenceOfModelRun, readJobOrder, readRunConfig } from '../../../src-main/api/run-configs'
import { TrainConfigSchema } from '../../../src-main/api/train'
import { AttackRequestSchema } from '../../../src-main/api/evaluation'
import { LabError } from '../../../src-main/api/errors'
import { jobKinds } from '../../../src-main/lab/jobs/kinds'
import { LabService } from '../../../src-main/lab/service'
import { createRun, getRun } from '../../../src-main/lab/store/runs'
import { tempDir } from '../../support/temp'

const sorted = (xs: readonly string[]) => [...xs].sort()
const train = TrainConfigSchema.parse({ dataset: 'mnist', model: { arch: 'mlp' }, epochs: 1 })
const attack = { ...AttackRequestSchema.parse({ runId: 1, attack: 'fgsm', epsilon: 0.1 }), targetRunIds: [1] }

describe('run kinds, configs and jobs', () => {
  it('gives every run kind a config schema, and no other kind', () => {
    expect(sorted(Object.keys(RUN_CONFIG_SCHEMAS))).toEqual(sorted(RUN_KINDS))
  })

  it('gives every run kind made by a job a job function, and only a wrapped run none', () => {
    expect(sorted(Object.keys(jobKinds))).toEqual(sorted(JOB_RUN_KINDS))
    expect(sorted(RUN_KINDS.filter((k) => !(JOB_RUN_KINDS as readonly string[]).includes(k)))).toEqual(['wrapped'])
    for (const kind of JOB_RUN_KINDS) expect(typeof jobKinds[kind]).toBe('function')
  })

  it('passes a config that fits its kind through unchanged', () => {
    const order = readJobOrder('train', train)
    expect(order.kind).toBe('train')
    expect(order.config).toBe(train)
    expect(readJobOrder('attack', attack).config).toBe(attack)
  })

  it('refuses a config of the wrong shape for its kind', () => {
    expect(() => readJobOrder('train', attack)).toThrow(LabError)
    expect(() => readJobOrder('attack', train)).toThrow(LabError)
    const { targetRunIds: _, ...untargeted } = attack
    expect(() => readJobOrder('attack', untargeted)).toThrow(/targetRunIds/)
    expect(() => readJobOrder('train', { ...train, epochs: 'one' })).toThrow(/epochs/)
    expect(() => readRunConfig('wrapped', { sourceRunId: 1 })).toThrow(LabError)
  })

  it('starts no job for a kind without one', () => {
    expect(() => readJobOrder('wrapped', { sourceRunId: 1, defence: { kind: 'gradient-truncation' }, source: {} })).toThrow(/no job/)
    expect(() => readJobOrder('nonsense', {})).toThrow(LabError)
  })

  it("reads a model run's defence by its kind", () => {
    expect(defenceOfModelRun('train', train)).toBeNull()
    expect(defenceOfModelRun('import', { file: '/m.safetensors', dataset: 'mnist', arch: 'mlp' })).toBeNull()
  })
})

describe('where a job is started', () => {
  const { dir, cleanup } = tempDir('run-configs')
  // No job slots: a run that passed the check would stay queued; one that did not is failed.
  const lab = new LabService({ dataDir: dir, concurrency: 0 })
  afterAll(async () => {
    await lab.close()
    cleanup()
  })

  it('marks a run whose config does not fit its kind failed, without queueing it', async () => {
    const runId = createRun(lab.ctx.db, { name: 'misfiled', kind: 'train', config: attack, seed: 0 })
    // The stored config as a resume would read it back: untyped, so the cast stands for the log.
    await lab.ctx.startJob(runId, { kind: 'train', config: attack } as never, 0)
    const run = getRun(lab.ctx.db, runId)
    expect(run.status).toBe('failed')
    expect(run.error).toMatch(/train config/)
    expect(lab.ctx.jobs.isActive(runId)).toBe(false)
  })
})
