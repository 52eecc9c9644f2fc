/**
 * Defensive distillation as the seed study runs it (T = 20, α = 0.7): a teacher trained at T in
 * the same job, a student on its soft labels (the default loss, seed × T); the student, deployed
 * at T = 1, keeps the teacher's clean accuracy (within 2 points).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { finished, testLab } from '../../support/lab'
import { DEFAULT_DISTILL_LOSS, learningAtTemperature } from '../../../src-main/api/train'

let t: ReturnType<typeof testLab>
beforeAll(() => {
  t = testLab('distill')
})
afterAll(() => t.close())

// A teacher trained at T = 20 sees a loss gradient 20× smaller (logits/T), so its learning rate is
// raised to match (learningAtTemperature); the student's default loss carries the factor itself.
const ordinary = { lr: 0.05, weightDecay: 5e-4 }
const part = (seed: number, role: 'teacher' | 'student') => ({
  dataset: 'mnist',
  subset: { train: 2000, test: 500 },
  model: { arch: 'mlp' as const },
  optimizer: {
    kind: 'sgd' as const,
    momentum: 0.9,
    ...learningAtTemperature(ordinary, 20, role === 'teacher' ? 'teacher' : DEFAULT_DISTILL_LOSS)
  },
  epochs: 3,
  batchSize: 64,
  seed
})

describe('defensive distillation', () => {
  it('trains a teacher at T, a student on its soft labels, and the student keeps the teacher accuracy', async () => {
    const run = await t.api.request('distill.start', {
      temperature: 20,
      alpha: 0.7,
      teacher: part(1, 'teacher'),
      student: part(2, 'student')
    })
    expect(run).toMatchObject({ kind: 'distill', name: 'Distilled mlp (T=20, α=0.7)' })
    const done = await finished(t.api, run.id)
    expect(done.status).toBe('completed')
    const [teacher, student] = await t.api.request('runs.metrics', { id: run.id, names: ['teacher/test/accuracy', 'test/accuracy'] })
    const teacherAccuracy = teacher.values.at(-1)!
    const studentAccuracy = student.values.at(-1)!
    expect(teacherAccuracy).toBeGreaterThan(0.8)
    expect(Math.abs(studentAccuracy - teacherAccuracy)).toBeLessThanOrEqual(0.02)
    // The student's steps follow the teacher's on the run's x-axis.
    expect(student.steps[0]).toBeGreaterThan(teacher.steps.at(-1)!)
    const [weights] = t.lab.ctx.db.prepare('SELECT kind FROM artifacts WHERE run_id = ? ORDER BY id').all(run.id) as { kind: string }[]
    expect(weights.kind).toBe('teacher-weights')
  })

  it('distils from an existing training run used as the teacher', async () => {
    const teacherRun = await t.api.request('train.start', { ...part(4, 'teacher'), temperature: 20 })
    expect((await finished(t.api, teacherRun.id)).status).toBe('completed')
    const run = await t.api.request('distill.start', {
      temperature: 20,
      alpha: 0.7,
      teacherRunId: teacherRun.id,
      student: part(5, 'student')
    })
    expect((await finished(t.api, run.id)).status).toBe('completed')
    const events = await t.api.request('runs.events', { id: run.id })
    expect(events.map((e) => e.message)).toContain(`Teacher: run ${teacherRun.id} (mlp, trained at T = 20).`)
  })

  it('refuses a teacher run that has not completed', async () => {
    const response = await t.api.call('distill.start', { temperature: 20, alpha: 0.7, teacherRunId: 999, student: part(5, 'student') })
    expect(response).toMatchObject({ ok: false, error: { code: 'not_found', field: 'id' } })
  })
})
