/**
 * Each sweep task starts with a fresh log on its node, so a sweep file may only name what exists
 * there: the built-in datasets and those listed under "datasets", and no run or project of the log
 * it was written in. Anything else is refused when the file is read — before emit writes a script
 * or a cell trains — naming the cell, the field and the value.
 */
import { describe, expect, it } from 'vitest'
import { parseSweepFile } from '../../../src-main/lab/sweeps/sweep-file'

const base = { dataset: 'mnist', model: { arch: 'mlp' }, optimizer: { kind: 'sgd', lr: 0.1 }, epochs: 1 }

describe('a sweep file naming what a fresh log does not have', () => {
  it('accepts the built-in datasets in any case, and a dataset the sweep lists with its path', () => {
    expect(() => parseSweepFile({ name: 's', base, grid: { dataset: ['mnist', 'Fashion-MNIST'] } })).not.toThrow()
    expect(() =>
      parseSweepFile({ name: 's', base: { ...base, dataset: 'cifar10' }, datasets: { CIFAR10: '/shared/cifar-10-batches-py' } })
    ).not.toThrow()
  })

  it('refuses a dataset that is neither built in nor listed, saying how to list it', () => {
    expect(() => parseSweepFile({ name: 's', base, grid: { dataset: ['mnist', 'cifar10'] } }, 'sweep.json')).toThrow(
      'sweep.json: cell 1 (dataset="cifar10"): dataset "cifar10" is neither a built-in dataset (MNIST, Fashion-MNIST) nor listed in the sweep\'s "datasets"; each task starts with a fresh log, so list it there with its path as the tasks see it, e.g. "datasets": { "cifar10": "/shared/data/cifar10" }.'
    )
  })

  it('refuses a distillation whose student or teacher names an unlisted dataset', () => {
    const distill = (teacherDataset: string) => ({
      name: 'd',
      kind: 'distill',
      base: { student: base, teacher: { ...base, dataset: teacherDataset } }
    })
    expect(() => parseSweepFile(distill('mnist'))).not.toThrow()
    expect(() => parseSweepFile(distill('svhn'), 'd.json')).toThrow(
      /^d\.json: cell 0 \(single cell\): teacher\.dataset "svhn" is neither a built-in dataset/
    )
  })

  it('refuses a teacher run or a project of this log', () => {
    expect(() => parseSweepFile({ name: 'd', kind: 'distill', base: { student: base, teacherRunId: 3 } }, 'd.json')).toThrow(
      'd.json: cell 0 (single cell): teacherRunId = 3 names a run of this log, but each task starts with a fresh log of its own; give "teacher" (a training config) to train the teacher in the cell.'
    )
    expect(() => parseSweepFile({ name: 's', base: { ...base, projectId: 2 } }, 's.json')).toThrow(
      's.json: cell 0 (single cell): projectId = 2 names a project of this log'
    )
  })
})
