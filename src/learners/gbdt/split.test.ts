/**
 * XGBoost's leaf weight and split gain on hand-computed values, and the best-split search on tiny
 * hand-built histograms whose arithmetic is written out below.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { binFrame, fitBins } from '../../data/binning.js'
import { makeFrame, numericColumn } from '../../data/frame.js'
import { histogramOffsets } from './histogram.js'
import { fitGbdt } from './index.js'
import { emptySplit, findBestSplit, leafWeight, nodeGain, type SplitParams } from './split.js'

const P: SplitParams = { lambda: 1, alpha: 0, gamma: 0, minChildWeight: 1, maxDeltaStep: 0 }
const with_ = (over: Partial<SplitParams>): SplitParams => ({ ...P, ...over })
/** Zero of either sign (a soft-thresholded zero comes out as -0 on one side). */
const expectZero = (v: number) => expect(v === 0, `${v} is zero`).toBe(true)

describe('leafWeight', () => {
  it('is -G / (H + lambda)', () => {
    // G = -6, H = 2, lambda = 1: 6 / 3 = 2
    expect(leafWeight(P, -6, 2)).toBe(2)
    expect(leafWeight(with_({ lambda: 0 }), 3, 4)).toBe(-0.75)
    expect(leafWeight(with_({ lambda: 5 }), 3, 1)).toBe(-0.5)
  })

  it('soft-thresholds G by alpha', () => {
    // T_1(-6) = -5: 5 / 3
    expect(leafWeight(with_({ alpha: 1 }), -6, 2)).toBe(5 / 3)
    // T_1(6) = 5: -5 / 3
    expect(leafWeight(with_({ alpha: 1 }), 6, 2)).toBe(-5 / 3)
    // |G| <= alpha: zero
    expectZero(leafWeight(with_({ alpha: 6 }), -6, 2))
    expectZero(leafWeight(with_({ alpha: 10 }), 3, 2))
  })

  it('clips to max_delta_step, keeping the sign', () => {
    expect(leafWeight(with_({ maxDeltaStep: 1 }), -6, 2)).toBe(1)
    expect(leafWeight(with_({ maxDeltaStep: 1 }), 6, 2)).toBe(-1)
    // Inside the clip: unchanged
    expect(leafWeight(with_({ maxDeltaStep: 5 }), -6, 2)).toBe(2)
    // The clip applies after the L1 threshold: 5 / 3 > 1.5
    expect(leafWeight(with_({ alpha: 1, maxDeltaStep: 1.5 }), -6, 2)).toBe(1.5)
  })

  it('is 0 when the hessian is below min_child_weight or not positive', () => {
    expect(leafWeight(with_({ minChildWeight: 3 }), -6, 2)).toBe(0)
    expect(leafWeight(with_({ minChildWeight: 0 }), -6, 0)).toBe(0)
    expect(leafWeight(with_({ minChildWeight: 0 }), -6, -1)).toBe(0)
    // Exactly min_child_weight is enough.
    expect(leafWeight(with_({ minChildWeight: 2 }), -6, 2)).toBe(2)
  })
})

describe('nodeGain', () => {
  it('is G^2 / (H + lambda) without L1 or a clip', () => {
    // 36 / 3
    expect(nodeGain(P, -6, 2)).toBe(12)
    expect(nodeGain(with_({ lambda: 0 }), 3, 4)).toBe(9 / 4)
  })

  it('uses T_alpha(G)^2 / (H + lambda) with L1', () => {
    // T_1(-6) = -5: 25 / 3
    expect(nodeGain(with_({ alpha: 1 }), -6, 2)).toBe(25 / 3)
    expectZero(nodeGain(with_({ alpha: 6 }), -6, 2))
  })

  it('uses CalcGain\'s -2 (G w + 0.5 (H + lambda) w^2 + alpha |w|) with max_delta_step', () => {
    // w clipped to 1: -2 (-6 + 1.5) = 9 (less than the unclipped 12)
    expect(nodeGain(with_({ maxDeltaStep: 1 }), -6, 2)).toBe(9)
    // alpha = 1: w = 5/3 clipped to 1; -2 (-6 + 1.5 + 1) = 7
    expect(nodeGain(with_({ alpha: 1, maxDeltaStep: 1 }), -6, 2)).toBe(7)
    // Positive G: w = -1; -2 (6 * -1 + 1.5 + 1) = 7
    expect(nodeGain(with_({ alpha: 1, maxDeltaStep: 1 }), 6, 2)).toBe(7)
    // |G| <= alpha: w = 0, gain 0
    expectZero(nodeGain(with_({ alpha: 7, maxDeltaStep: 1 }), 6, 2))
  })

  it('agrees with the closed form when the clip does not bind', () => {
    // With w = -T(G) / (H + lambda) the CalcGain form reduces to T(G)^2 / (H + lambda).
    fc.assert(
      fc.property(
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: 0.5, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        (g, h, lambda, alpha) => {
          const open = { ...P, lambda, alpha, minChildWeight: 0 }
          const clip = { ...open, maxDeltaStep: 1e9 }
          const a = nodeGain(open, g, h)
          const b = nodeGain(clip, g, h)
          expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, a))
          // A binding clip can only lower the gain.
          const tight = { ...open, maxDeltaStep: 0.01 }
          expect(nodeGain(tight, g, h)).toBeLessThanOrEqual(a + 1e-9 * Math.max(1, a))
        },
      ),
    )
  })

  it('is 0 below min_child_weight', () => {
    expect(nodeGain(with_({ minChildWeight: 3 }), -6, 2)).toBe(0)
    expect(nodeGain(with_({ minChildWeight: 3, maxDeltaStep: 1 }), -6, 2)).toBe(0)
    expect(nodeGain(with_({ minChildWeight: 0 }), -6, 0)).toBe(0)
  })
})

/**
 * One feature with three value bins (codes 0, 1, 2) and its missing bin (code 3): a histogram of
 * 4 (grad, hess) pairs. Returns the arguments findBestSplit takes.
 */
function oneFeature(bins: [number, number][], missing: [number, number]) {
  const nBins = Int32Array.of(bins.length)
  const { offsets } = histogramOffsets(nBins)
  const hist = Float64Array.from([...bins, missing].flat())
  let G = 0
  let H = 0
  for (const [g, h] of [...bins, missing]) {
    G += g
    H += h
  }
  return { hist, offsets, nBins, features: Int32Array.of(0), G, H }
}

function best(s: ReturnType<typeof oneFeature>, p: SplitParams = P) {
  return findBestSplit(s.hist, s.offsets, s.nBins, s.features, s.features.length, s.G, s.H, p, emptySplit())
}

describe('findBestSplit', () => {
  const BINS: [number, number][] = [
    [-4, 2],
    [-2, 2],
    [6, 2],
  ]

  it('picks the split of largest gain; with no missing values the default is the heavier child', () => {
    // G = 0, H = 6, lambda = 1; parent 0^2 / 7 = 0.
    //   bin <= 0: left (-4, 2) 16/3 = 5.333, right (4, 4) 16/5 = 3.2   gain 8.533
    //   bin <= 1: left (-6, 4) 36/5 = 7.2,   right (6, 2) 36/3 = 12    gain 19.2  <- best
    // Left hessian 4 > right 2, so unseen missing values go left.
    const s = best(oneFeature(BINS, [0, 0]))
    expect(s.feature).toBe(0)
    expect(s.bin).toBe(1)
    expect(s.gain).toBeCloseTo(19.2, 12)
    expect([s.leftG, s.leftH]).toEqual([-6, 4])
    expect(s.defaultLeft).toBe(true)
  })

  it('sends unseen missing values right when the right child is heavier', () => {
    // G = 0, H = 7; bins (-6, 1), (2, 3), (4, 3).
    //   bin <= 0: left (-6, 1) 36/2 = 18, right (6, 6) 36/7 = 5.143    gain 23.14  <- best
    //   bin <= 1: left (-4, 4) 16/5 = 3.2, right (4, 3) 16/4 = 4       gain 7.2
    // Left hessian 1 < right 6: default right.
    const s = best(
      oneFeature(
        [
          [-6, 1],
          [2, 3],
          [4, 3],
        ],
        [0, 0],
      ),
    )
    expect([s.bin, s.defaultLeft]).toEqual([0, false])
    expect(s.gain).toBeCloseTo(18 + 36 / 7, 12)
  })

  it('learns to send missing values left when they look like the low bins', () => {
    // Missing (-3, 1): G = -3, H = 7, parent 9/8 = 1.125.
    //   bin <= 0, missing right: left (-4, 2) 16/3,  right (1, 5) 1/6      gain 4.375
    //   bin <= 0, missing left:  left (-7, 3) 49/4,  right (4, 4) 16/5     gain 14.325
    //   bin <= 1, missing right: left (-6, 4) 36/5,  right (3, 3) 9/4      gain 8.325
    //   bin <= 1, missing left:  left (-9, 5) 81/6,  right (6, 2) 36/3     gain 24.375  <- best
    const s = best(oneFeature(BINS, [-3, 1]))
    expect([s.bin, s.defaultLeft, s.leftG, s.leftH]).toEqual([1, true, -9, 5])
    expect(s.gain).toBeCloseTo(24.375, 12)
  })

  it('learns to send missing values right when they look like the high bins', () => {
    // Missing (3, 1): G = 3, H = 7, parent 9/8 = 1.125.
    //   bin <= 0, missing right: left (-4, 2) 16/3,  right (7, 5) 49/6     gain 12.375
    //   bin <= 0, missing left:  left (-1, 3) 1/4,   right (4, 4) 16/5     gain 2.325
    //   bin <= 1, missing right: left (-6, 4) 36/5,  right (9, 3) 81/4     gain 26.325  <- best
    //   bin <= 1, missing left:  left (-3, 5) 9/6,   right (6, 2) 36/3     gain 12.375
    const s = best(oneFeature(BINS, [3, 1]))
    expect([s.bin, s.defaultLeft, s.leftG, s.leftH]).toEqual([1, false, -6, 4])
    expect(s.gain).toBeCloseTo(26.325, 12)
  })

  it('rejects children lighter than min_child_weight', () => {
    // min_child_weight 2.5: bin <= 0 has a left hessian of 2, bin <= 1 a right hessian of 2.
    const s = best(oneFeature(BINS, [0, 0]), with_({ minChildWeight: 2.5 }))
    expect(s.feature).toBe(-1)
    expect(s.gain).toBe(-Infinity)
    // At exactly 2 both candidates are allowed again.
    expect(best(oneFeature(BINS, [0, 0]), with_({ minChildWeight: 2 })).bin).toBe(1)
  })

  it('searches only the allowed features, each at its own offset', () => {
    // Feature 0: two value bins (-1, 1) and (1, 1), missing (0, 0).
    // Feature 1: the BINS above, whose best split (gain 19.2 with lambda 1) beats feature 0's.
    const nBins = Int32Array.of(2, 3)
    const { offsets, totalBins } = histogramOffsets(nBins)
    expect([Array.from(offsets), totalBins]).toEqual([[0, 3], 7])
    const hist = Float64Array.from([-1, 1, 1, 1, 0, 0, ...BINS.flat(), 0, 0])
    // Both features hold all 6 rows in the real thing; the search only reads G and H.
    const run = (features: number[]) =>
      findBestSplit(hist, offsets, nBins, Int32Array.from(features), features.length, 0, 6, P, emptySplit())
    expect(run([0, 1]).feature).toBe(1)
    expect(run([0]).feature).toBe(0)
    // Feature 0 alone: left (-1, 1) 1/2, right (1, 5) 1/6: gain 2/3.
    expect(run([0]).gain).toBeCloseTo(2 / 3, 12)
    expect(run([]).feature).toBe(-1)
  })

  it('splits a feature with a single value bin on missingness alone', () => {
    // Values (-4, 3) against missing (4, 3): each side 16/4 = 4, parent 0, gain 8. Missing-left
    // at bin -1 is tried first and ties with values-left at bin 0, so it stays.
    const s = best(oneFeature([[-4, 3]], [4, 3]))
    expect([s.feature, s.bin, s.defaultLeft]).toEqual([0, -1, true])
    expect(s.gain).toBeCloseTo(8, 12)
  })

  it('finds nothing on a feature with a single value bin and no missing values', () => {
    const s = best(oneFeature([[-4, 3]], [0, 0]))
    expect(s.feature).toBe(-1)
  })
})

describe('gamma and min_child_weight through fitGbdt', () => {
  // x = 0, 0, 1, 1 and y = 0, 0, 1, 1: the base score is the mean 0.5, so the gradients are
  // 0.5, 0.5, -0.5, -0.5 with hessian 1. The only split, x < 0.5, has children (1, 2) and (-1, 2):
  // gain 1/3 + 1/3 - 0 = 2/3 with lambda 1.
  const frame = makeFrame([numericColumn('x', Float64Array.of(0, 0, 1, 1))])
  const data = binFrame(frame, fitBins(frame))
  const y = Float64Array.of(0, 0, 1, 1)
  const fit = (params: Record<string, unknown>) => fitGbdt(data, y, { num_round: 1, max_depth: 3, nthread: 1, ...params })

  it('makes the split when its gain reaches gamma', async () => {
    const model = await fit({ gamma: 0.6 })
    expect(model.ensemble.feature.length).toBe(3)
    expect(model.ensemble.threshold[0]).toBe(0.5)
    // Leaves: eta * -G / (H + lambda) = 0.3 * -1/3 and 0.3 * 1/3.
    expect(Array.from(model.predictRows(Float64Array.of(0, 1), 2))).toEqual([0.5 - 0.1, 0.5 + 0.1])
  })

  it('leaves a single leaf when the gain is below gamma', async () => {
    const model = await fit({ gamma: 0.7 })
    expect(model.ensemble.feature.length).toBe(1)
    expect(model.ensemble.left[0]).toBe(-1)
    // The root's G is 0, so its leaf adds nothing to the base score.
    expect(Array.from(model.predictRows(Float64Array.of(0, 1), 2))).toEqual([0.5, 0.5])
  })

  it('leaves a single leaf when a child would be lighter than min_child_weight', async () => {
    expect((await fit({ min_child_weight: 2.5 })).ensemble.feature.length).toBe(1)
    expect((await fit({ min_child_weight: 2 })).ensemble.feature.length).toBe(3)
  })
})
