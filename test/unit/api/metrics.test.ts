/** The metric names of the contract: the strings the log has always held, so old logs still read. */
import { describe, expect, it } from 'vitest'
import { METRICS, TEACHER_METRIC_PREFIX, evalAccuracyMetric, evalCurveTag, evalExportMetric } from '../../../src-main/api/metrics'

describe('metric names', () => {
  it('keeps the names already written to logs', () => {
    expect(METRICS).toEqual({
      trainLoss: 'train/loss',
      trainBatchAccuracy: 'train/batch_accuracy',
      learningRate: 'lr',
      trainAccuracy: 'train/accuracy',
      testAccuracy: 'test/accuracy',
      testLoss: 'test/loss'
    })
    expect(`${TEACHER_METRIC_PREFIX}${METRICS.trainLoss}`).toBe('teacher/train/loss')
  })

  it("names an attack's robust accuracy by attack, norm and ε", () => {
    expect(evalAccuracyMetric('pgd', 'Linf', 0.3)).toBe('eval/pgd/Linf/0.3/accuracy')
    expect(evalCurveTag('fgsm', 'L2')).toBe('eval/fgsm/L2')
    expect(evalExportMetric('pgd', 'Linf', 8 / 255)).toMatch(/^eval\/pgd\/Linf\/eps_[^/]+$/)
  })
})
