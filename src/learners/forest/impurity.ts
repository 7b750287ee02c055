/**
 * Impurity of a node and the decrease a split brings, as scikit-learn defines them: gini and
 * entropy (in bits) over weighted class counts, and the variance for squared error. The split
 * search ranks candidates by a cheaper proxy that orders splits the same way; these functions are
 * the reference the proxies are tested against.
 */

/**
 * Gini impurity 1 - sum p_k^2 of weighted class counts.
 * @example gini([2, 2]) // 0.5
 */
export function gini(counts: ArrayLike<number>): number {
  let w = 0
  let sq = 0
  for (let k = 0; k < counts.length; k++) {
    w += counts[k]
    sq += counts[k] * counts[k]
  }
  return w > 0 ? 1 - sq / (w * w) : 0
}

/**
 * Entropy -sum p_k log2 p_k of weighted class counts.
 * @example entropy([1, 1]) // 1
 */
export function entropy(counts: ArrayLike<number>): number {
  let w = 0
  for (let k = 0; k < counts.length; k++) w += counts[k]
  let h = 0
  for (let k = 0; k < counts.length; k++) {
    const c = counts[k]
    if (c > 0) h -= (c / w) * Math.log2(c / w)
  }
  return h
}

/**
 * Variance (mean squared error around the mean) from the weight, sum and sum of squares.
 * @example variance(3, 6, 14) // 2/3: values 1, 2, 3
 */
export function variance(w: number, sum: number, sumSq: number): number {
  return w > 0 ? sumSq / w - (sum / w) ** 2 : 0
}

/**
 * Weighted impurity decrease of a split, scikit-learn's `impurity_improvement` times the node
 * weight: w * imp - wL * impL - wR * impR.
 * @example impurityDecrease(4, 0.5, 2, 0, 2, 0) // 2: a gini-0.5 node split into two pure halves
 */
export function impurityDecrease(w: number, imp: number, wL: number, impL: number, wR: number, impR: number): number {
  return w * imp - wL * impL - wR * impR
}

/**
 * Proxy for squared error: sL^2 / wL + sR^2 / wR. Larger is better; it equals the weighted
 * variance decrease plus the constant s^2 / w of the node.
 */
export function squaredErrorProxy(wL: number, sL: number, wR: number, sR: number): number {
  return (sL * sL) / wL + (sR * sR) / wR
}

/**
 * Proxy for gini over the K class weights of each child: sum cL^2 / wL + sum cR^2 / wR. Larger
 * is better; it equals the weighted gini decrease plus the constant sum c^2 / w of the node.
 */
export function giniProxy(left: Float64Array, right: Float64Array, k: number): number {
  let wL = 0
  let wR = 0
  let sqL = 0
  let sqR = 0
  for (let j = 0; j < k; j++) {
    const l = left[j]
    const r = right[j]
    wL += l
    wR += r
    sqL += l * l
    sqR += r * r
  }
  return sqL / wL + sqR / wR
}

/**
 * Proxy for entropy: sum c log c - w log w over both children (natural log). Larger is better;
 * equals -ln 2 times the children's weighted entropy in bits.
 */
export function entropyProxy(left: Float64Array, right: Float64Array, k: number): number {
  let wL = 0
  let wR = 0
  let s = 0
  for (let j = 0; j < k; j++) {
    const l = left[j]
    const r = right[j]
    wL += l
    wR += r
    if (l > 0) s += l * Math.log(l)
    if (r > 0) s += r * Math.log(r)
  }
  return s - wL * Math.log(wL) - wR * Math.log(wR)
}
