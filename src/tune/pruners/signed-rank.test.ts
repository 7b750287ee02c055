import { describe, expect, it } from 'vitest'
import { averageRanks, wilcoxonSignedRank, type Alternative } from './signed-rank.js'

// scipy.stats.wilcoxon(d, alternative=..., zero_method='zsplit') from scipy 1.10.1: statistic and
// p-value per alternative (greater, less, two-sided). No ties or zeros, so scipy's p-values are exact.
// Made by ../fixtures/reference-values.py.
const SCIPY: [string, number[], [number, number][]][] = [
  ['n2', [0.3, 0.5], [[3, 0.25], [3, 1.0], [0, 0.5]]],
  ['n3', [1, 2, 3], [[6, 0.125], [6, 1.0], [0, 0.25]]],
  ['n5', [0.5, -0.1, 1.2, 0.8, 2.0], [[14, 0.0625], [14, 0.96875], [1, 0.125]]],
  ['n6', [-0.4, 1.1, 0.2, -0.9, 0.6, 1.5], [[15, 0.21875], [15, 0.84375], [6, 0.4375]]],
  ['n10', [0.12, -0.05, 0.31, 0.07, 0.22, -0.18, 0.4, 0.09, 0.27, 0.15], [[48, 0.0185546875], [48, 0.986328125], [7, 0.037109375]]],
  [
    'n20',
    [1.2917, 0.0445, -0.6258, 0.7941, 1.0985, -0.3999, -0.3181, 1.1592, 0.6967, -0.6614, 0.151, 1.2998, 0.1914, -0.6718, 0.6591, 1.1793, -0.2856, -0.4284, 1.0733, 0.8291],
    [[159, 0.022027015686035156], [159, 0.9800052642822266], [51, 0.04405403137207031]],
  ],
]

// 60 differences (one tied pair): scipy's normal approximation with tie and continuity corrections.
const D60 = [
  0.326, 0.068, 0.84, 0.305, -0.336, 0.562, 1.504, 1.147, -0.504, -1.065, -0.423, 0.241, -2.125, -0.019, -1.046, -0.532, -0.344, -0.116, 0.612, 1.243, 0.071,
  1.566, -0.465, 0.552, 1.103, 0.294, -0.543, -0.722, -0.258, 0.42, -0.81, -0.009, 0.041, 0.741, 0.415, 0.555, -0.454, 0.07, 0.984, 1.693, -1.059, 1.714,
  1.546, 0.981, 0.464, -0.114, 1.658, 2.16, 2.002, 1.515, 0.557, -1.008, 0.196, 0.856, -1.088, 0.595, 0.63, 0.896, -0.984, -0.462,
]
const D60_SCIPY: [number, number][] = [
  [1216.5, 0.013225316337623144],
  [1216.5, 0.9867746836623769],
  [613.5, 0.026450632675246288],
]

const ALTERNATIVES: Alternative[] = ['greater', 'less', 'two-sided']

/** The exact p-value by enumerating every sign assignment of the nonzero differences. */
function bruteForce(d: number[], alternative: Alternative): number {
  const ranks = averageRanks(d.map(Math.abs))
  const observed = wilcoxonSignedRank(d, 'greater').statistic
  const nonzero = d.flatMap((v, i) => (v === 0 ? [] : [i]))
  const zeroHalf = d.reduce((s, v, i) => (v === 0 ? s + ranks[i] / 2 : s), 0)
  let ge = 0
  let le = 0
  const total = 2 ** nonzero.length
  for (let mask = 0; mask < total; mask++) {
    let t = zeroHalf
    nonzero.forEach((i, b) => {
      if (mask & (1 << b)) t += ranks[i]
    })
    if (t >= observed - 1e-9) ge++
    if (t <= observed + 1e-9) le++
  }
  if (alternative === 'greater') return ge / total
  if (alternative === 'less') return le / total
  return Math.min(1, (2 * Math.min(ge, le)) / total)
}

describe('averageRanks', () => {
  it('averages tied positions as scipy.stats.rankdata', () => {
    expect(Array.from(averageRanks([10, 20, 10]))).toEqual([1.5, 3, 1.5])
    expect(Array.from(averageRanks([3, 1, 2, 2, 2]))).toEqual([5, 1, 3, 3, 3])
  })
})

describe('wilcoxonSignedRank', () => {
  it('matches scipy on exact cases', () => {
    for (const [name, d, want] of SCIPY) {
      ALTERNATIVES.forEach((alt, k) => {
        const r = wilcoxonSignedRank(d, alt)
        expect(r.exact, name).toBe(true)
        expect(r.statistic, `${name} ${alt}`).toBe(want[k][0])
        expect(r.pvalue, `${name} ${alt}`).toBeCloseTo(want[k][1], 12)
      })
    }
  })

  it("matches scipy's normal approximation beyond 50 differences", () => {
    ALTERNATIVES.forEach((alt, k) => {
      const r = wilcoxonSignedRank(D60, alt)
      expect(r.exact).toBe(false)
      expect(r.statistic).toBe(D60_SCIPY[k][0])
      expect(Math.abs(r.pvalue - D60_SCIPY[k][1])).toBeLessThan(1e-6 * D60_SCIPY[k][1] + 1e-9)
    })
  })

  it('is exact with ties and zeros (checked by enumerating every sign assignment)', () => {
    const cases = [
      [0, 0.5, -0.5, 1, 1, 2],
      [0, 0, 0.3, 0.3, -0.3, 0.7, 0.9, -1.1],
      [1, 1, 1, 1],
      [0, 0, 0],
      [-2, 0, 2, 0, 3, 3, -3, 1, 0.5, 0.5, 4, 5],
    ]
    for (const d of cases) for (const alt of ALTERNATIVES) expect(wilcoxonSignedRank(d, alt).pvalue, `${d} ${alt}`).toBeCloseTo(bruteForce(d, alt), 12)
    expect(wilcoxonSignedRank([0, 0, 0], 'greater').pvalue).toBe(1)
  })

  it('returns NaN for no differences', () => {
    expect(wilcoxonSignedRank([]).pvalue).toBeNaN()
  })
})
