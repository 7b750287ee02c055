import { describe, expect, it } from 'vitest'
import { exactThreshold, type ThresholdMode } from './thresholds.js'

/** What ONNX computes for one node: the comparison on float32(x), false for NaN. */
function onnx(mode: ThresholdMode, x: number, t: number): boolean {
  const v = Math.fround(x)
  return mode === 'BRANCH_LEQ' ? v <= t : mode === 'BRANCH_LT' ? v < t : mode === 'BRANCH_GTE' ? v >= t : v > t
}

function next64(v: number, dir: 1 | -1): number {
  const a = new Float64Array([v])
  const b = new BigInt64Array(a.buffer)
  if (v === 0) return dir * Number.MIN_VALUE
  b[0] += (v > 0 ? 1n : -1n) * BigInt(dir)
  return a[0]
}

function next32(v: number, dir: 1 | -1): number {
  const a = new Float32Array([v])
  const b = new Int32Array(a.buffer)
  if (v === 0) return dir * 2 ** -149
  b[0] += (v > 0 ? 1 : -1) * dir
  return a[0]
}

const MODES: ThresholdMode[] = ['BRANCH_LEQ', 'BRANCH_LT', 'BRANCH_GTE', 'BRANCH_GT']

describe('exactThreshold', () => {
  it('splits float64 values around float32 thresholds exactly as ONNX', () => {
    const thresholds = [Math.fround(0.1), 0.1, 1, -1, 0, Math.fround(-2.7), 0.5, 1e-40, -1e-40, 3.4028234663852886e38, 123456.789, 2 ** -149, 1e39]
    for (const t of thresholds) {
      for (const mode of MODES) {
        const split = exactThreshold(mode, t)!
        // Every float32 near t, the midpoints between them and the doubles either side of those.
        const probes: number[] = [NaN]
        let v = Math.fround(Math.min(t, 3.4028234663852886e38))
        for (let k = 0; k < 3; k++) v = next32(v, -1)
        for (let k = 0; k < 7; k++, v = next32(v, 1)) {
          const up = next32(v, 1)
          const mid = (v + up) / 2
          probes.push(v, next64(v, 1), next64(v, -1), mid, next64(mid, 1), next64(mid, -1))
        }
        for (const x of probes) {
          if (Number.isNaN(x)) continue
          const left = x < split.threshold
          expect(left === split.trueGoesLeft, `${mode} t=${t} x=${x}`).toBe(onnx(mode, x, t))
        }
      }
    }
  })

  it('is exact at the edges named by the float32 rounding of x', () => {
    const t = Math.fround(0.1)
    const leq = exactThreshold('BRANCH_LEQ', t)!
    expect(t < leq.threshold).toBe(true) // x = t goes the true way
    expect(0.1 < leq.threshold).toBe(true) // 0.1 rounds to float32 0.1 <= t
    expect(next32(t, 1) < leq.threshold).toBe(false)
    const lt = exactThreshold('BRANCH_LT', t)!
    expect(t < lt.threshold).toBe(false)
    expect(next32(t, -1) < lt.threshold).toBe(true)
  })

  it('gives up where no float64 threshold is exact', () => {
    expect(exactThreshold('BRANCH_LEQ', Infinity)).toBeNull()
    expect(exactThreshold('BRANCH_LEQ', NaN)).toBeNull()
    expect(exactThreshold('BRANCH_LT', -1e39)).toBeNull()
  })
})
