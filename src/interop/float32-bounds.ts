/**
 * Float32 comparisons as float64 thresholds. Other libraries compare `float32(x)` with a float32
 * threshold; consort's trees compare the float64 value itself. These bounds make the two agree on
 * every float64 input, rounding included.
 */

export const F32_MAX = 3.4028234663852886e38
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

/**
 * The largest float32 not above `t` (strictly below it when `strict`).
 * @example float32Floor(1, true) // 0.9999999403953552
 */
export function float32Floor(t: number, strict: boolean): number {
  let r = Math.fround(t)
  if (r > t || (strict && r === t)) r = nextFloat32Down(r)
  return r === 0 ? 0 : r // -0 and 0 compare equal; one representative
}

/**
 * The smallest float64 `T` with `float32(x) <= L` exactly when `x < T`, for a float32 `L`: the
 * midpoint between `L` and the next float32, or the float64 just above it when round-half-to-even
 * sends the midpoint itself down to `L`.
 * @example float32Boundary(0.5) // 0.5000000298023225
 */
export function float32Boundary(L: number): number {
  const m = (L + nextFloat32Up(L)) / 2 // exact: a float32 midpoint needs 25 significant bits
  return Math.fround(m) > L ? m : nextFloat64Up(m)
}
