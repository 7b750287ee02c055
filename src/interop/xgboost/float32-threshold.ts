/**
 * XGBoost compares a row's value with a split as `float(x) < threshold`, both in float32: it casts
 * every input to float32 first. The tree predictor compares float64 values as they are, so each
 * imported threshold becomes the float64 bound that sorts every float64 input the same way.
 */

const f64 = new Float64Array(1)
const u64 = new BigUint64Array(f64.buffer)
const f32 = new Float32Array(1)
const u32 = new Uint32Array(f32.buffer)

/**
 * The smallest float64 `t'` such that, for every float64 `x`, `x < t'` exactly when
 * `Math.fround(x) < t`, for a float32 threshold `t`. The float32 below `t` is `p`; values between
 * `p` and `t` round to the nearer one, and the midpoint itself (exact in float64) rounds to the one
 * with an even significand: it belongs below `t'` when that is `p`.
 * @example float32Threshold(Math.fround(0.1)) // the midpoint of 0.1's float32 neighbours, or just above it
 */
export function float32Threshold(t: number): number {
  const t32 = Math.fround(t)
  if (!Number.isFinite(t32)) return t32
  const p = nextDown32(t32)
  const mid = (p + t32) / 2
  f32[0] = p
  const pIsEven = (u32[0] & 1) === 0
  return pIsEven ? nextUp64(mid) : mid
}

/** The float32 just below a finite float32 `t` (below ±0: minus the smallest subnormal). */
function nextDown32(t: number): number {
  if (t === 0) return -Math.pow(2, -149)
  f32[0] = t
  u32[0] += t > 0 ? -1 : 1
  return f32[0]
}

/** The float64 just above a finite `x`. */
function nextUp64(x: number): number {
  if (x === 0) return Number.MIN_VALUE
  f64[0] = x
  u64[0] += x > 0 ? 1n : -1n
  return f64[0]
}
