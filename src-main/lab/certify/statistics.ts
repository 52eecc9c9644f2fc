/**
 * The distributions randomised smoothing's certificate needs, in double precision: the standard
 * normal's CDF and quantile (the radius σ·Φ⁻¹(p)) and the beta quantile behind the Clopper–Pearson
 * bound on pA. Built on the regularised incomplete gamma and beta functions (series and continued
 * fractions, evaluated by the modified Lentz method); the quantiles invert them by bisection, which
 * is slow but cannot diverge — a certificate is worth a few hundred function evaluations.
 */

const EPSILON = 1e-16
const TINY = 1e-300

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7, nine terms: about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x)
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7
  ]
  const z = x - 1
  let sum = c[0]
  for (let i = 1; i < 9; i++) sum += c[i] / (z + i)
  const t = z + 7.5
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum)
}

/** Q(a, x) = Γ(a, x)/Γ(a), the regularised upper incomplete gamma function. */
function upperGamma(a: number, x: number): number {
  if (x <= 0) return 1
  const prefactor = Math.exp(-x + a * Math.log(x) - logGamma(a))
  if (x < a + 1) {
    // Series for P(a, x) = 1 − Q.
    let term = 1 / a
    let sum = term
    for (let n = 1; n < 1000 && Math.abs(term) > Math.abs(sum) * EPSILON; n++) {
      term *= x / (a + n)
      sum += term
    }
    return 1 - sum * prefactor
  }
  // Continued fraction for Q(a, x).
  let b = x + 1 - a
  let c = 1 / TINY
  let d = 1 / b
  let h = d
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b
    if (Math.abs(d) < TINY) d = TINY
    c = b + an / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < EPSILON) break
  }
  return prefactor * h
}

/** Φ(x), the standard normal CDF: ½·Q(½, x²/2) in the lower tail, accurate far into both tails. */
export function normalCdf(x: number): number {
  if (!Number.isFinite(x)) return x > 0 ? 1 : 0
  const tail = 0.5 * upperGamma(0.5, (x * x) / 2)
  return x < 0 ? tail : 1 - tail
}

/** Φ⁻¹(p) for p in (0, 1); −∞ at 0 and +∞ at 1. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`a probability must be in [0, 1], not ${p}`)
  if (p === 0) return -Infinity
  if (p === 1) return Infinity
  // Far in the upper tail 1 − Φ loses digits; use the symmetry Φ⁻¹(p) = −Φ⁻¹(1 − p) there.
  if (p > 0.5) return -normalQuantile(1 - p)
  return bisect((x) => normalCdf(x) - p, -40, 0)
}

/** I_x(a, b), the regularised incomplete beta function (the Beta(a, b) CDF at x). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0
  if (x >= 1) return 1
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x))
  // The continued fraction converges fast for x < (a + 1)/(a + b + 2); otherwise use I_x(a, b) = 1 − I_{1−x}(b, a).
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a)
  let c = 1
  let d = 1 - ((a + b) * x) / (a + 1)
  if (Math.abs(d) < TINY) d = TINY
  d = 1 / d
  let h = d
  for (let m = 1; m < 10_000; m++) {
    const m2 = 2 * m
    const even = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2))
    d = 1 + even * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + even / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    h *= d * c
    const odd = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1))
    d = 1 + odd * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + odd / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < EPSILON) break
  }
  return (front * h) / a
}

/** The q-quantile of Beta(a, b). */
export function betaQuantile(q: number, a: number, b: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`a probability must be in [0, 1], not ${q}`)
  if (q === 0) return 0
  if (q === 1) return 1
  return bisect((x) => incompleteBeta(x, a, b) - q, 0, 1)
}

/**
 * The one-sided (1 − α) Clopper–Pearson lower confidence bound on a binomial proportion after
 * `successes` of `trials`: the α-quantile of Beta(k, n − k + 1), 0 when k = 0 (Cohen et al.'s
 * LowerConfBound).
 */
export function clopperPearsonLower(successes: number, trials: number, alpha: number): number {
  if (successes <= 0) return 0
  return betaQuantile(alpha, successes, trials - successes + 1)
}

/** The root of an increasing f in [lo, hi], to the last bit. */
function bisect(f: (x: number) => number, lo: number, hi: number): number {
  for (let i = 0; i < 2000; i++) {
    const mid = (lo + hi) / 2
    if (mid === lo || mid === hi) break
    if (f(mid) < 0) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

/** Standard normal draws from a uniform generator (Box–Muller; 1 − u keeps the logarithm finite). */
export function gaussianSampler(uniform: () => number): () => number {
  let spare: number | null = null
  return () => {
    if (spare !== null) {
      const s = spare
      spare = null
      return s
    }
    const r = Math.sqrt(-2 * Math.log(1 - uniform()))
    const theta = 2 * Math.PI * uniform()
    spare = r * Math.sin(theta)
    return r * Math.cos(theta)
  }
}
