/**
 * Which ε mean something for images in [0, 1] — the one check the service, sweep files, the CLI
 * and the wizards share, so each says the same sentence.
 */
import { describe, expect, it } from 'vitest'
import { checkEpsilon, epsilonLimit } from '../../../src-main/api/epsilon-range'
import { loadRenderer } from '../renderer/loadRenderer'

type EpsilonProblem = (
  values: number[],
  norm: 'Linf' | 'L2',
  shape: typeof mnist | null,
  field: (i: number) => string
) => string | undefined
const { epsilonProblem } = await loadRenderer<{ epsilonProblem: EpsilonProblem }>('wizards/epsilonCheck')

const mnist = { height: 28, width: 28, channels: 1 }
const cifar = { height: 32, width: 32, channels: 3 }

describe('checkEpsilon', () => {
  it('allows L∞ ε in (0, 1]: 8/255, 0.3 and 1', () => {
    for (const e of [8 / 255, 0.3, 1]) expect(checkEpsilon(e, 'Linf', mnist)).toBeNull()
  })

  it('refuses L∞ ε = 5 naming the field, the value and the range', () => {
    expect(checkEpsilon(5, 'Linf', mnist)).toBe(
      'epsilon = 5 is outside (0, 1] for the L∞ norm: images are in [0, 1], so no pixel can move by more than 1.'
    )
    expect(checkEpsilon(5, 'Linf', null, 'epsilons.2')).toMatch(/^epsilons\.2 = 5 is outside \(0, 1\]/)
  })

  it("bounds L2 ε by the image cube's diameter √(H·W·C): 28 for MNIST, √3072 ≈ 55.43 for CIFAR", () => {
    expect(epsilonLimit('L2', mnist)).toBe(28)
    expect(checkEpsilon(28, 'L2', mnist)).toBeNull()
    expect(checkEpsilon(29, 'L2', mnist)).toBe(
      'epsilon = 29 is outside (0, 28] for the L2 norm: √(28·28·1) is the distance from an all-black to an all-white 28×28×1 image.'
    )
    expect(checkEpsilon(56, 'L2', cifar)).toMatch(/^epsilon = 56 is outside \(0, 55\.43\]/)
    // Without the images' size only positivity can be checked.
    expect(checkEpsilon(56, 'L2', null)).toBeNull()
  })

  it('refuses ε = 0, negative and non-finite ε', () => {
    expect(checkEpsilon(0, 'Linf')).toMatch(/^epsilon = 0 is outside \(0, 1\] .*measures only the clean accuracy/)
    expect(checkEpsilon(-0.1, 'L2', mnist)).toMatch(/^epsilon = -0\.1 is outside \(0, 28\]/)
    expect(checkEpsilon(Number.NaN, 'Linf')).toMatch(/^epsilon = NaN is outside/)
  })
})

describe("the evaluation and sweep wizards' ε check", () => {
  it('refuses ε = 5 for L∞ with the service’s sentence, and the first bad ε of a grid', () => {
    expect(epsilonProblem([5], 'Linf', mnist, () => 'ε')).toBe(
      'ε = 5 is outside (0, 1] for the L∞ norm: images are in [0, 1], so no pixel can move by more than 1.'
    )
    expect(epsilonProblem([0.1, 0.3, 30], 'L2', mnist, () => 'ε')).toMatch(/^ε = 30 is outside \(0, 28\] for the L2 norm/)
    expect(epsilonProblem([0.1, 0.2, 0.3], 'Linf', mnist, () => 'ε')).toBeUndefined()
  })
})
