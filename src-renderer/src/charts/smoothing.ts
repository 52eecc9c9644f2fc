/**
 * Curve helpers of Compare's training charts, as TensorBoard users know them: exponential moving
 * average smoothing with its start-up bias removed, and steps read as epochs or as seconds.
 */

/**
 * TensorBoard's smoothing: an exponential moving average with weight w in [0, 1), debiased so the
 * first points are not pulled towards 0 (each value divided by 1 − w^k). w = 0 returns the values.
 */
export function smooth(values: readonly number[], weight: number): number[] {
  if (weight <= 0) return [...values]
  const w = Math.min(weight, 0.999)
  let last = 0
  let k = 0
  return values.map((v) => {
    if (!Number.isFinite(v)) return v
    k++
    last = last * w + (1 - w) * v
    return last / (1 - w ** k)
  })
}

/**
 * Steps as epochs. `epochEnds`: the step at which each epoch ended (the steps of an end-of-epoch
 * metric such as test/accuracy), ascending. A step inside epoch k (1-based) reads k − 1 plus the
 * fraction of that epoch done; steps past the last end continue at the last epoch's pace.
 * Null when the run logged no epoch ends.
 */
export function stepsToEpochs(steps: readonly number[], epochEnds: readonly number[]): number[] | null {
  if (epochEnds.length === 0) return null
  return steps.map((step) => {
    let previous = 0
    for (let k = 0; k < epochEnds.length; k++) {
      const end = epochEnds[k]
      if (step <= end) return k + (end > previous ? (step - previous) / (end - previous) : 1)
      previous = end
    }
    const last = epochEnds[epochEnds.length - 1]
    const pace = last / epochEnds.length
    return epochEnds.length + (pace > 0 ? (step - last) / pace : 0)
  })
}

/**
 * Steps as wall-clock seconds, from the (step, seconds) pairs the service timed (runs.metricTimes):
 * exact at a timed step, linear between two, and held at the ends. Null without any timed step.
 */
export function stepsToSeconds(steps: readonly number[], timed: { steps: readonly number[]; seconds: readonly number[] }): number[] | null {
  const n = timed.steps.length
  if (n === 0) return null
  return steps.map((step) => {
    if (step <= timed.steps[0]) return timed.seconds[0]
    if (step >= timed.steps[n - 1]) return timed.seconds[n - 1]
    let hi = 1
    while (timed.steps[hi] < step) hi++
    const [s0, s1] = [timed.steps[hi - 1], timed.steps[hi]]
    const [t0, t1] = [timed.seconds[hi - 1], timed.seconds[hi]]
    return s1 === s0 ? t1 : t0 + ((step - s0) / (s1 - s0)) * (t1 - t0)
  })
}
