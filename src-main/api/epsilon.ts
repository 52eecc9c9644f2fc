/**
 * ε as people write it and read it — the one statement of its format for the whole product (the
 * lab service, the CLI, every export and the renderer all import it from here).
 * Written: a decimal ("0.03", ".5", "1e-2") or a fraction of pixel levels ("8/255").
 * Shown: a short decimal when it is one (MNIST's 0.1, 0.2, 0.3 — 0.2 is never "51/255"), else
 * k/255 when it is a whole number of grey levels (the literature's 8/255), else 4 significant digits.
 */
import { z } from 'zod'
import { LabError } from './errors'

const DECIMAL = /^[+]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i

/** Parses ε; throws a LabError naming the value and the accepted forms. */
export function parseEpsilon(input: string | number, field = 'epsilon'): number {
  const help = 'Write a number ≥ 0 such as 0.03, or a fraction of pixel levels such as 8/255.'
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) throw new LabError('bad_input', `ε ${input} is not usable. ${help}`, field)
    return input
  }
  const text = input.trim()
  if (text === '') throw new LabError('bad_input', `ε is empty. ${help}`, field)
  const parts = text.split('/')
  if (parts.length > 2) throw new LabError('bad_input', `ε "${input}" has more than one "/". ${help}`, field)
  const [num, den] = parts.map((p) => p.trim())
  if (!DECIMAL.test(num) || (den !== undefined && !DECIMAL.test(den))) {
    const negative = /^-/.test(num) || (den !== undefined && /^-/.test(den))
    throw new LabError(
      'bad_input',
      negative ? `ε "${input}" is negative; a perturbation budget must be ≥ 0. ${help}` : `ε "${input}" is not a number. ${help}`,
      field
    )
  }
  const value = den === undefined ? Number(num) : Number(num) / Number(den)
  if (den !== undefined && Number(den) === 0) throw new LabError('bad_input', `ε "${input}" divides by zero. ${help}`, field)
  if (!Number.isFinite(value)) throw new LabError('bad_input', `ε "${input}" is not a finite number. ${help}`, field)
  return value
}

/** ε as a label: "0.2", "8/255", "0.01235" — see the rule at the top of this file. */
export function formatEpsilon(epsilon: number): string {
  if (!Number.isFinite(epsilon)) return String(epsilon)
  if (Number(epsilon.toPrecision(3)) === epsilon) return String(epsilon)
  const levels = epsilon * 255
  if (epsilon > 0 && Math.abs(levels - Math.round(levels)) < 1e-6) return `${Math.round(levels)}/255`
  return String(Number(epsilon.toPrecision(4)))
}

/** ε as a key: two ε are the same budget when they agree to 9 significant digits (8/255 computed two ways is one ε). */
export const epsilonKey = (epsilon: number): string => String(Number(epsilon.toPrecision(9)))

export function sameEpsilon(a: number, b: number): boolean {
  return epsilonKey(a) === epsilonKey(b)
}

/** ε and step sizes in pixel units; the CLI and sweep files may write them as fractions like "8/255". */
export const PixelAmountSchema = z.union([
  z.number().min(0).max(1000),
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?(\/\d+(\.\d+)?)?$/, 'must be a number or a fraction such as 8/255')
    .transform((text) => {
      const [a, b] = text.split('/').map(Number)
      return b === undefined ? a : a / b
    })
])
