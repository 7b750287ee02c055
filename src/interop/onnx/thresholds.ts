/**
 * ONNX tree nodes compare a float32 input with their threshold (`float32(x) <= t` for BRANCH_LEQ);
 * consort's trees compare the float64 value itself, `x < T` going left. This finds the float64
 * `T` that splits every float64 input exactly as ONNX does, rounding included, so an imported
 * tree gives ONNX's answer on any value, not only on values that are already float32.
 */

import { F32_MAX, float32Boundary, float32Floor } from '../float32-bounds.js'

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
  return { threshold: float32Boundary(L), trueGoesLeft: mode === 'BRANCH_LEQ' || mode === 'BRANCH_LT' }
}
