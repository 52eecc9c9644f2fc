/**
 * Defensive distillation (Papernot et al., IEEE S&P 2016): a teacher trained at temperature T, its
 * soft labels softmax(teacher(x)/T), and a student trained on them (and the hard labels) with the
 * config's loss form (losses.ts), then deployed at T = 1. A student that did not learn is flagged
 * (student-check.ts) with a warning event and in the run's summary.
 */
import fs from 'node:fs'
import path from 'node:path'
import { distillLossOf, type DistillConfig, type TrainConfig } from '../../api/train'
import type { JobContext } from '../jobs/job-context'
import { buildModel, loadWeights, saveWeights } from './build-model'
import { CheckpointStore } from './checkpoints'
import { loadTrainingData } from './data'
import { stepsPerEpoch, trainModel } from './loop'
import type { TrainableModel } from './model'
import type { ImageSet } from './batches'
import { describeDefence, withDefenceLayer } from '../defences/training'
import { evaluateClean } from './evaluate'
import { studentFailed } from './student-check'
import { TEACHER_METRIC_PREFIX } from '../../api/metrics'

export async function distillJob(ctx: JobContext<'distill'>): Promise<Record<string, unknown>> {
  const config = ctx.spec.config
  const T = config.temperature
  const studentConfig: TrainConfig = { ...config.student, temperature: T }
  const { train, test } = await loadTrainingData(ctx, studentConfig)
  const info = ctx.spec.inputs.dataset!.info
  const runDir = path.join(ctx.spec.dataDir, 'runs', String(ctx.spec.runId))
  const checkpoints = new CheckpointStore(path.join(runDir, 'checkpoints'))

  const loss = distillLossOf(config)
  const { teacher, weightsFile: teacherWeights, teacherAccuracy } = await obtainTeacher(ctx, config, train, test, info, runDir, checkpoints)
  // The student's steps follow the teacher's on the run's x-axis when the teacher was trained here.
  const teacherSteps = ctx.spec.inputs.teacher ? 0 : stepsPerEpoch(train.n, config.teacher!.batchSize) * config.teacher!.epochs
  const student = withDefenceLayer(
    buildModel(studentConfig.model, train, info, studentConfig.seed),
    studentConfig.defence,
    studentConfig.seed
  )
  if (studentConfig.defence) ctx.log('info', `Student trained with ${describeDefence(studentConfig.defence)}.`)
  try {
    ctx.log('info', `Distilling at T = ${T}, α = ${config.alpha}, with the '${loss}' loss.`)
    const result = await trainModel({
      model: student,
      config: studentConfig,
      train,
      test,
      ctx,
      phase: 'student',
      stepOffset: teacherSteps,
      checkpoints,
      objective: { kind: 'distillation', temperature: T, alpha: config.alpha, loss, teacherWeights },
      teacher
    })
    await saveWeights(ctx, student, path.join(runDir, 'weights.safetensors'))
    const outcome = { testAccuracy: result.testAccuracy, teacherAccuracy, chance: 1 / info.classes.length }
    const failure = studentFailed(outcome)
    if (failure) ctx.log('warn', failure.message, { studentFailed: failure, ...outcome })
    return {
      ...outcome,
      trainAccuracy: result.trainAccuracy,
      temperature: T,
      alpha: config.alpha,
      loss,
      studentFailed: failure,
      workers: result.workers
    }
  } finally {
    student.dispose()
    teacher.dispose()
  }
}

async function obtainTeacher(
  ctx: JobContext<'distill'>,
  config: DistillConfig,
  train: ImageSet,
  test: ImageSet | null,
  info: Parameters<typeof buildModel>[2],
  runDir: string,
  checkpoints: CheckpointStore
): Promise<{ teacher: TrainableModel; weightsFile: string; teacherAccuracy: number | null }> {
  const given = ctx.spec.inputs.teacher
  if (given) {
    const teacherConfig = given.config
    const teacher = buildModel(teacherConfig.model, train, info, teacherConfig.seed)
    loadWeights(teacher, fs.readFileSync(given.weightsFile), given.weightsFile)
    ctx.log('info', `Teacher: run ${given.runId} (${teacherConfig.model.arch}, trained at T = ${teacherConfig.temperature}).`)
    return { teacher, weightsFile: given.weightsFile, teacherAccuracy: testAccuracy(teacher, test) }
  }
  // Train the teacher here, at the distillation temperature.
  const teacherConfig: TrainConfig = { ...config.teacher!, temperature: config.temperature }
  const teacher = buildModel(teacherConfig.model, train, info, teacherConfig.seed)
  const teacherWeights = path.join(runDir, 'teacher.safetensors')
  if (ctx.spec.resume && fs.existsSync(teacherWeights)) {
    loadWeights(teacher, fs.readFileSync(teacherWeights), teacherWeights)
    ctx.log('info', 'Teacher already trained in this run; reusing it.')
    return { teacher, weightsFile: teacherWeights, teacherAccuracy: testAccuracy(teacher, test) }
  }
  const trained = await trainModel({
    model: teacher,
    config: teacherConfig,
    train,
    test,
    ctx,
    phase: 'teacher',
    metricPrefix: TEACHER_METRIC_PREFIX,
    checkpoints,
    objective: { kind: 'cross-entropy', temperature: teacherConfig.temperature, labelSmoothing: teacherConfig.labelSmoothing }
  })
  await saveWeights(ctx, teacher, teacherWeights, 'teacher-weights')
  return { teacher, weightsFile: teacherWeights, teacherAccuracy: trained.testAccuracy }
}

/** The teacher's clean accuracy on the student's test images, the yardstick of the student check. */
function testAccuracy(model: TrainableModel, test: ImageSet | null): number | null {
  return test ? evaluateClean(model, test).accuracy : null
}
