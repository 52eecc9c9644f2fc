/**
 * Fitting a reverse Weibull distribution to sample maxima, as CLEVER does (Weng et al. 2018, §3.3,
 * after the Fisher–Tippett–Gnedenko theorem): the maxima b_i of gradient norms are modelled by
 * F(y) = exp(−((a − y)/β)^c) for y < a; the location a estimates the local Lipschitz constant.
 *
 * Maximum likelihood over (a, β, c): for a fixed location a, z = a − b is Weibull(c, β) and (c, β)
 * have the usual profile equations; a is then found by a golden-section search on the profile
 * log-likelihood. c is kept ≥ 1 — below it the likelihood is unbounded as a → max b (a known
 * degeneracy of the three-parameter fit), and a gradient-norm distribution with a finite maximum
 * has c ≥ 1 in practice.
 */
export interface WeibullFit {
  location: number
  scale: number
  shape: number
  logLikelihood: number
  /** Kolmogorov–Smirnov distance between the fitted and the empirical distribution. */
  ks: number
}

function fitGivenLocation(z: number[]): { shape: number; scale: number; logLikelihood: number } {
  const n = z.length
  const logs = z.map(Math.log)
  const meanLog = logs.reduce((a, b) => a + b, 0) / n
  const maxLog = Math.max(...logs)
  // Profile equation for c: Σ z^c ln z / Σ z^c − 1/c − mean(ln z) = 0, increasing in c.
  const equation = (c: number) => {
    let s = 0
    let sl = 0
    for (let i = 0; i < n; i++) {
      const p = Math.exp(c * (logs[i] - maxLog)) // scaled by max^c so large c cannot overflow
      s += p
      sl += p * logs[i]
    }
    return sl / s - 1 / c - meanLog
  }
  let lo = 1
  let hi = 200
  let shape: number
  if (equation(lo) >= 0) shape = lo
  else if (equation(hi) <= 0) shape = hi
  else {
    for (let i = 0; i < 60; i++) {
      const mid = (lo + hi) / 2
      if (equation(mid) < 0) lo = mid
      else hi = mid
    }
    shape = (lo + hi) / 2
  }
  const scale = Math.pow(z.reduce((s, v) => s + Math.pow(v, shape), 0) / n, 1 / shape)
  let ll = n * Math.log(shape) - n * shape * Math.log(scale) + (shape - 1) * logs.reduce((a, b) => a + b, 0)
  for (const v of z) ll -= Math.pow(v / scale, shape)
  return { shape, scale, logLikelihood: ll }
}

export function fitReverseWeibull(maxima: number[]): WeibullFit {
  const values = maxima.filter(Number.isFinite)
  if (values.length < 3) throw new Error('a reverse Weibull fit needs at least 3 sample maxima')
  const top = Math.max(...values)
  const spread = Math.max(top - Math.min(...values), Math.abs(top) * 1e-6, 1e-12)
  const profile = (logDelta: number) => {
    const a = top + Math.exp(logDelta)
    return { a, ...fitGivenLocation(values.map((b) => a - b)) }
  }
  // Golden-section search of log δ, a = max b + δ, over δ ∈ [1e-6·spread, 100·spread].
  let lo = Math.log(spread * 1e-6)
  let hi = Math.log(spread * 100)
  const g = (Math.sqrt(5) - 1) / 2
  let x1 = hi - g * (hi - lo)
  let x2 = lo + g * (hi - lo)
  let f1 = profile(x1).logLikelihood
  let f2 = profile(x2).logLikelihood
  for (let i = 0; i < 80; i++) {
    if (f1 > f2) {
      hi = x2
      x2 = x1
      f2 = f1
      x1 = hi - g * (hi - lo)
      f1 = profile(x1).logLikelihood
    } else {
      lo = x1
      x1 = x2
      f1 = f2
      x2 = lo + g * (hi - lo)
      f2 = profile(x2).logLikelihood
    }
  }
  const best = profile((lo + hi) / 2)
  const cdf = (y: number) => (y >= best.a ? 1 : Math.exp(-Math.pow((best.a - y) / best.scale, best.shape)))
  const sorted = [...values].sort((a, b) => a - b)
  let ks = 0
  sorted.forEach((v, i) => {
    const f = cdf(v)
    ks = Math.max(ks, Math.abs(f - i / sorted.length), Math.abs(f - (i + 1) / sorted.length))
  })
  return { location: best.a, scale: best.scale, shape: best.shape, logLikelihood: best.logLikelihood, ks }
}
