/**
 * The random draws the corruptions need, from the lab's seeded generator (lab/random.ts) so a
 * corrupted test set is the same on every machine and backend: normal (Box–Muller) and Poisson.
 */

/** N(0, 1) draws from a uniform generator (Box–Muller, one value per call). */
export function normalFrom(next: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(Math.max(next(), 1e-300))) * Math.cos(2 * Math.PI * next())
}

/** log Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: ~15 significant digits). */
export function logGamma(x: number): number {
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7
  ]
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x)
  const z = x - 1
  let a = g[0]
  const t = z + 7.5
  for (let i = 1; i < 9; i++) a += g[i] / (z + i)
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a)
}

/**
 * A Poisson(λ) draw: Knuth's product of uniforms for small λ, Hörmann's transformed rejection
 * (PTRS, "The transformed rejection method for generating Poisson random variables", 1993) from
 * λ = 10 on, where the product would need about λ uniforms per draw (shot noise on CIFAR uses λ up to 500).
 */
export function poisson(lambda: number, next: () => number): number {
  if (lambda <= 0) return 0
  if (lambda < 10) {
    const limit = Math.exp(-lambda)
    let k = 0
    let p = next()
    while (p > limit) {
      k++
      p *= next()
    }
    return k
  }
  const slam = Math.sqrt(lambda)
  const logLambda = Math.log(lambda)
  const b = 0.931 + 2.53 * slam
  const a = -0.059 + 0.02483 * b
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4)
  const vr = 0.9277 - 3.6224 / (b - 2)
  for (;;) {
    const u = next() - 0.5
    const v = next()
    const us = 0.5 - Math.abs(u)
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43)
    if (us >= 0.07 && v <= vr) return k
    if (k < 0 || (us < 0.013 && v > us)) continue
    if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -lambda + k * logLambda - logGamma(k + 1)) return k
  }
}
