import { describe, expect, it } from 'vitest'
import { float32Threshold } from './float32-threshold.js'

/** float64 neighbours of x. */
function around(x: number): number[] {
  const a = new Float64Array([x])
  const u = new BigInt64Array(a.buffer)
  const out: number[] = [x]
  for (const d of [1n, 2n, -1n, -2n]) {
    const b = new Float64Array(1)
    new BigInt64Array(b.buffer)[0] = u[0] + (x >= 0 ? d : -d)
    out.push(b[0])
  }
  return out
}

function prev32(t: number): number {
  const f = new Float32Array([t])
  const u = new Int32Array(f.buffer)
  u[0] += t > 0 ? -1 : 1
  return f[0]
}

describe('float32Threshold', () => {
  const thresholds = [0.5138268, 0.1, 1, 3, -2.5, 1e-30, -7.3e12, 4.8598, 87, Math.pow(2, -149), 0, 16777217, 0.30000001192092896]
  it('sorts every float64 near the threshold as XGBoost sorts its float32 cast', () => {
    for (const raw of thresholds) {
      const t = Math.fround(raw)
      const tt = float32Threshold(t)
      const p = prev32(t === 0 ? 0 : t)
      const candidates = [...around(t), ...around((p + t) / 2), ...around(p), ...around(tt), raw]
      for (const x of candidates) expect([x, x < tt]).toEqual([x, Math.fround(x) < t])
    }
  })
  it('moves the threshold only within the float32 gap below it', () => {
    const t = Math.fround(0.1)
    const tt = float32Threshold(t)
    expect(tt).toBeLessThanOrEqual(t)
    expect(tt).toBeGreaterThan(prev32(t))
    // A float64 input just below t rounds up to t in float32, so it goes right, as in XGBoost.
    const justBelow = around(t)[3]
    expect(justBelow < t && !(justBelow < tt)).toBe(true)
  })
  it('keeps infinite thresholds', () => {
    expect(float32Threshold(Infinity)).toBe(Infinity)
  })
})
