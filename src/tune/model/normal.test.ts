import { describe, expect, it } from 'vitest'
import { erfc, erfcx, logExpectedImprovement, logH, normCdf, normPdf } from './normal.js'

// Reference values from scipy.special 1.10 (erfc, erfcx), scipy.stats.norm.cdf and, for ln h(z),
// mpmath at 50 digits: log(npdf(z) + z * ncdf(z)). Made by ../fixtures/reference-values.py.
const ERFCX: [number, number][] = [
  [0, 1.0],
  [0.1, 0.8964569799691268],
  [0.5, 0.6156903441929258],
  [1, 0.427583576155807],
  [2, 0.2553956763105058],
  [3, 0.17900115118138998],
  [5, 0.11070463773306861],
  [10, 0.05614099274382259],
  [30, 0.018795888861416754],
]
const ERFC: [number, number][] = [
  [-2, 1.9953222650189528],
  [-0.5, 1.5204998778130465],
  [0, 1.0],
  [0.3, 0.6713732405408726],
  [1, 0.15729920705028516],
  [2.5, 0.00040695201744495886],
  [4, 1.541725790028002e-8],
  [6, 2.1519736712498913e-17],
]
const CDF: [number, number][] = [
  [-3, 0.0013498980316300933],
  [-1, 0.15865525393145707],
  [0, 0.5],
  [1.96, 0.9750021048517795],
  [4, 0.9999683287581669],
]
const LOG_H: [number, number][] = [
  [3, 1.0987396653277077],
  [1, 0.08002621884930694],
  [0, -0.9189385332046728],
  [-0.5, -1.6205162643873199],
  [-1, -2.4851210257126413],
  [-2, -4.768783523917114],
  [-4, -11.849061577550662],
  [-7.9, -36.30328600267221],
  [-8.1, -37.95116733196364],
  [-12, -77.90910054500735],
  [-30, -457.724653760598],
  [-100, -5010.12957880025],
]

const relClose = (a: number, b: number, tol: number): void => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.abs(b))

describe('normal distribution', () => {
  it('matches scipy', () => {
    for (const [x, want] of ERFCX) relClose(erfcx(x), want, 2e-7)
    for (const [x, want] of ERFC) relClose(erfc(x), want, 2e-7)
    for (const [z, want] of CDF) relClose(normCdf(z), want, 2e-7)
    expect(normPdf(0)).toBeCloseTo(0.3989422804014327, 15)
  })
})

describe('log expected improvement', () => {
  it('matches the 50-digit ln h(z) to 1e-5 relative, with no underflow far below the incumbent', () => {
    for (const [z, want] of LOG_H) expect(Math.abs(logH(z) - want)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want)))
  })

  it('is increasing in z, so it ranks candidates where EI itself is 0', () => {
    let prev = -Infinity
    for (let z = -60; z <= 5; z += 0.01) {
      const v = logH(z)
      expect(v).toBeGreaterThan(prev)
      prev = v
    }
  })

  it('scales with sigma and handles a certain prediction', () => {
    expect(logExpectedImprovement(1, 2, 1)).toBeCloseTo(Math.log(2) + logH(0), 12)
    expect(logExpectedImprovement(0.5, 0, 1)).toBeCloseTo(Math.log(0.5), 12)
    expect(logExpectedImprovement(1, 0, 1)).toBe(-Infinity)
  })
})
