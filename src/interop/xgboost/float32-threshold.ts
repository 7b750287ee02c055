/**
 * XGBoost compares a row's value with a split as `float(x) < threshold`, both in float32: it casts
 * every input to float32 first. The tree predictor compares float64 values as they are, so each
 * imported threshold becomes the float64 bound that sorts every float64 input the same way.
 */

import { float32Boundary, float32Floor } from '../float32-bounds.js'

/**
 * The smallest float64 `t'` such that, for every float64 `x`, `x < t'` exactly when
 * `Math.fround(x) < t`, for a float32 threshold `t`: `fround(x) < t` is `fround(x) <= p` for the
 * float32 `p` just below `t`.
 * @example float32Threshold(Math.fround(0.1)) // the midpoint of 0.1's float32 neighbours, or just above it
 */
export function float32Threshold(t: number): number {
  const t32 = Math.fround(t)
  if (!Number.isFinite(t32)) return t32
  return float32Boundary(float32Floor(t32, true))
}
