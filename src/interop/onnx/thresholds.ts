/**
 * ONNX tree nodes compare a float32 input with their threshold (`float32(x) <= t` for BRANCH_LEQ);
 * consort's trees compare the float64 value itself, `x < T` going left. This finds the float64
 * `T` that splits every float64 input exactly as ONNX does, rounding included, so an imported
 * tree gives ONNX's answer on any value, not only on values that are already float32.
 */

const F32_MAX = 3.4028234663852886e38
const f32 = new Float32Array(1)
const u32 = new Uint32Array(f32.buffer)
const f64 = new Float64Array(1)
const u64 = new BigUint64Array(f64.buffer)

/** The float32 next above a finite float32 `v` (2^128 above the largest, the value float32 rounding ties to). */
function nextFloat32Up(v: number): number {
  if (v === F32_MAX) return 2 ** 128
  if (v === 0) return 2 ** -149
  f32[0] = v
  u32[0] += v > 0 ? 1 : -1
  return f32[0]
}

/** The float32 next below a finite float32 `v`. */
function nextFloat32Down(v: number): number {
  if (v === 0) return -(2 ** -149)
  f32[0] = v
  u32[0] += v > 0 ? -1 : 1
  return f32[0]
}

/** The float64 next above a positive or negative finite `v`. */
function nextFloat64Up(v: number): number {
  if (v === 0) return Number.MIN_VALUE
  f64[0] = v
  u64[0] += v > 0 ? 1n : -1n
  return f64[0]
}

/** The largest float32 not above `t` (strictly below it when `strict`). */
function float32Floor(t: number, strict: boolean): number {
  let r = Math.fround(t)
  if (r > t || (strict && r === t)) r = nextFloat32Down(r)
  return r === 0 ? 0 : r // -0 and 0 compare equal; one representative
}

/**
 * The smallest float64 `T` with `float32(x) <= L` exactly when `x < T`, for a float32 `L`: the
 * midpoint between `L` and the next float32, or the float64 just above it when round-half-to-even
 * sends the midpoint itself down to `L`.
 */
function boundaryAbove(L: number): number {
  const m = (L + nextFloat32Up(L)) / 2 // exact: a float32 midpoint needs 25 significant bits
  return Math.fround(m) > L ? m : nextFloat64Up(m)
}

/** The four comparisons a single `x < T` test can express. */
export type ThresholdMode = 'BRANCH_LEQ' | 'BRANCH_LT' | 'BRANCH_GTE' | 'BRANCH_GT'

/**
 * The consort split for an ONNX node: `threshold` (go left when `x < threshold`) and whether the
 * left child is the node's true branch. Null when no single float64 threshold is exact (an
 * infinite or NaN `t`, or one below the float32 range).
 * @example
 * exactThreshold('BRANCH_LEQ', 0.5) // { threshold: 0.5000000298023225, trueGoesLeft: true }: just above
 * // the midpoint of 0.5 and the next float32, which rounds (half to even) down to 0.5
 */
export function exactThreshold(mode: ThresholdMode, t: number): { threshold: number; trueGoesLeft: boolean } | null {
  if (!Number.isFinite(t)) return null
  // LEQ and GT test float32(x) <= t (GT is its negation); LT and GTE test float32(x) < t.
  const L = float32Floor(t, mode === 'BRANCH_LT' || mode === 'BRANCH_GTE')
  if (L < -F32_MAX) return null
  return { threshold: boundaryAbove(L), trueGoesLeft: mode === 'BRANCH_LEQ' || mode === 'BRANCH_LT' }
}
