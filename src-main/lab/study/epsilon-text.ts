/**
 * ε as people write it: a short decimal when it is one (MNIST's 0.1, 0.2, 0.3), otherwise as k/255
 * when it is a whole number of grey levels (the seed's 8/255), otherwise to 4 significant digits.
 */
export function epsilonText(eps: number): string {
  if (Number(eps.toPrecision(3)) === eps) return String(eps)
  const k = eps * 255
  if (eps > 0 && Math.abs(k - Math.round(k)) < 1e-6) return `${Math.round(k)}/255`
  return String(Number(eps.toPrecision(4)))
}
