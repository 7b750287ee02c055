/**
 * Split scores and leaf values of oblivious trees with the L2 regularisation l2_leaf_reg (lambda).
 * A level's candidate split (feature, border) sends every node's rows with code > border to the
 * right; its score is the Newton gain summed over all nodes of the level and all outputs,
 * sum G^2 / (H + lambda) over the resulting leaves (CatBoost's L2 score; the parent term is the
 * same for every candidate of a level and is left out).
 */

/** G^2 / (H + lambda), 0 when the denominator vanishes (an empty side with lambda 0). */
function term(G: number, H: number, lambda: number): number {
  const d = H + lambda
  return d > 0 ? (G * G) / d : 0
}

/**
 * Adds to `scores[b]` (b < nCodes - 1) the score of the split "code > b" of one feature whose
 * histogram for each of `nNodes` nodes starts at `start + q * nodeSize` with `nCodes` codes of K
 * outputs.
 * @example levelScores(hist, 0, 1, 8, 4, 1, 3, scores)
 */
export function levelScores(
  hist: Float64Array,
  start: number,
  nNodes: number,
  nodeSize: number,
  nCodes: number,
  K: number,
  lambda: number,
  scores: Float64Array,
): void {
  for (let b = 0; b < nCodes - 1; b++) scores[b] = 0
  for (let q = 0; q < nNodes; q++) {
    const base = q * nodeSize + start
    for (let k = 0; k < K; k++) {
      let G = 0
      let H = 0
      for (let c = 0; c < nCodes; c++) {
        G += hist[base + 2 * K * c + 2 * k]
        H += hist[base + 2 * K * c + 2 * k + 1]
      }
      let GL = 0
      let HL = 0
      for (let b = 0; b < nCodes - 1; b++) {
        GL += hist[base + 2 * K * b + 2 * k]
        HL += hist[base + 2 * K * b + 2 * k + 1]
        scores[b] += term(GL, HL, lambda) + term(G - GL, H - HL, lambda)
      }
    }
  }
}

/**
 * Newton leaf values, -scale * G / (H + lambda) per leaf and output, from gradient sums
 * `G[leaf * K + k]`.
 * @example newtonLeaves(Float64Array.of(-6), Float64Array.of(3), 3, 1) // [1]
 */
export function newtonLeaves(G: Float64Array, H: Float64Array, lambda: number, scale: number): Float64Array {
  const out = new Float64Array(G.length)
  for (let j = 0; j < G.length; j++) {
    const d = H[j] + lambda
    out[j] = d > 0 ? (-scale * G[j]) / d : 0
  }
  return out
}
