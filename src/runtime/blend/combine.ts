/**
 * The linear combination most blends come down to: sum over members of weight x prediction.
 */

/**
 * `sum_m weights[m] * preds[m]`, element by element, into a new array.
 * @example
 * combine([Float64Array.of(1, 2), Float64Array.of(3, 4)], [0.5, 0.5]) // [2, 3]
 */
export function combine(preds: readonly Float64Array[], weights: ArrayLike<number>): Float64Array {
  const out = new Float64Array(preds[0].length)
  for (let m = 0; m < preds.length; m++) {
    const w = weights[m]
    if (w === 0) continue
    const p = preds[m]
    for (let i = 0; i < out.length; i++) out[i] += w * p[i]
  }
  return out
}
