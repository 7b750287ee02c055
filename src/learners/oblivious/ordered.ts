/**
 * Ordered boosting (CatBoost paper, section 4): the gradient of a row must come from a model that
 * never saw that row. For each permutation, supporting models M_b are kept for prefixes of
 * b = 1, 2, 4, ... rows; M_b is trained on the first b rows of the permutation only and is
 * evaluated on the rows at positions [0, 2b), so the row at position p >= 1 takes its gradient
 * from M_b with b the largest power of two <= p (its own row is not among the first b); position
 * 0 takes it from the starting margin. After each tree, every M_b gets that tree with leaf values
 * estimated from its own b rows. Cost: about 6 n row visits per permutation and tree.
 */
import { type Loss, rowDerivatives } from './losses.js'

export class OrderedSupport {
  /** margins[r][k]: margins (position-major, K per position) of M_{2^k} under permutation r. */
  private readonly margins: Float64Array[][]
  private readonly gRow: Float64Array
  private readonly hRow: Float64Array

  /**
   * @param perms permutations (positions to rows) shared with the ordered target statistics
   * @example const support = new OrderedSupport(perms, loss, y, baseMargin)
   */
  constructor(
    private readonly perms: readonly Int32Array[],
    private readonly loss: Loss,
    private readonly y: Float64Array,
    private readonly base: Float64Array,
  ) {
    const n = y.length
    const K = loss.nOutputs
    this.margins = perms.map(() => {
      const levels: Float64Array[] = []
      for (let b = 1; b < n; b *= 2) {
        const m = new Float64Array(Math.min(2 * b, n) * K)
        for (let p = 0; p < m.length; p++) m[p] = base[p % K]
        levels.push(m)
      }
      return levels
    })
    this.gRow = new Float64Array(K)
    this.hRow = new Float64Array(K)
  }

  /** Ordered derivatives of every row under permutation r, output-major into g and h. */
  derivatives(r: number, g: Float64Array, h: Float64Array): void {
    const perm = this.perms[r]
    const n = perm.length
    const K = this.loss.nOutputs
    const { gRow, hRow } = this
    for (let p = 0; p < n; p++) {
      const row = perm[p]
      if (p === 0) rowDerivatives(this.loss, this.base, 0, this.y[row], gRow, hRow)
      else rowDerivatives(this.loss, this.margins[r][31 - Math.clz32(p)], p * K, this.y[row], gRow, hRow)
      for (let k = 0; k < K; k++) {
        g[k * n + row] = gRow[k]
        h[k * n + row] = hRow[k]
      }
    }
  }

  /**
   * Adds a tree to every supporting model of permutation r: `leafOf[row]` is the row's leaf under
   * that permutation's statistics; leaf values are Newton steps from the model's own prefix rows.
   */
  addTree(r: number, leafOf: Int32Array, nLeaves: number, lambda: number, scale: number): void {
    const perm = this.perms[r]
    const K = this.loss.nOutputs
    const G = new Float64Array(nLeaves * K)
    const H = new Float64Array(nLeaves * K)
    const { gRow, hRow } = this
    this.margins[r].forEach((m, level) => {
      const b = 1 << level
      G.fill(0)
      H.fill(0)
      for (let p = 0; p < b; p++) {
        rowDerivatives(this.loss, m, p * K, this.y[perm[p]], gRow, hRow)
        const o = leafOf[perm[p]] * K
        for (let k = 0; k < K; k++) {
          G[o + k] += gRow[k]
          H[o + k] += hRow[k]
        }
      }
      const end = m.length / K
      for (let p = 0; p < end; p++) {
        const o = leafOf[perm[p]] * K
        for (let k = 0; k < K; k++) {
          const d = H[o + k] + lambda
          if (d > 0) m[p * K + k] -= (scale * G[o + k]) / d
        }
      }
    })
  }
}
