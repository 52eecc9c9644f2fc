import { describe, expect, it } from 'vitest'
import { complement, stratifiedPick } from '../../../src-main/lab/data/subsets'

const labels = Int32Array.from({ length: 1000 }, (_, i) => (i < 700 ? 0 : i < 900 ? 1 : 2))
const all = Int32Array.from({ length: 1000 }, (_, i) => i)
const perClass = (picked: Int32Array) => [0, 1, 2].map((c) => picked.filter((i) => labels[i] === c).length)

describe('stratified subsets', () => {
  it('keeps each class at its share of the whole, rounding by largest remainder', () => {
    expect(perClass(stratifiedPick(labels, all, 100, 1))).toEqual([70, 20, 10])
    expect(perClass(stratifiedPick(labels, all, 11, 1))).toEqual([8, 2, 1])
  })

  it('gives the same choice for the same seed and a different one for another seed', () => {
    expect(stratifiedPick(labels, all, 50, 7)).toEqual(stratifiedPick(labels, all, 50, 7))
    expect(stratifiedPick(labels, all, 50, 7)).not.toEqual(stratifiedPick(labels, all, 50, 8))
  })

  it('returns sorted, distinct indices from the candidates only', () => {
    const candidates = Int32Array.from({ length: 500 }, (_, i) => 2 * i)
    const picked = stratifiedPick(labels, candidates, 120, 3)
    expect(new Set(picked).size).toBe(120)
    expect(Array.from(picked)).toEqual([...picked].sort((a, b) => a - b))
    expect(picked.every((i) => i % 2 === 0)).toBe(true)
  })

  it('complement gives exactly the indices not taken', () => {
    const taken = stratifiedPick(labels, all, 300, 5)
    const rest = complement(1000, taken)
    expect(rest.length).toBe(700)
    expect(new Set([...taken, ...rest]).size).toBe(1000)
  })
})
