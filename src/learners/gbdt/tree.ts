/**
 * One grown tree as trained: nodes in creation order, children always adjacent (left, left + 1)
 * and after their parent, which is exactly the layout the runtime predictor wants. Holds both the
 * bin of each split (for training-time routing of binned rows) and its raw threshold.
 */
export class GrownTree {
  feature: number[] = []
  bin: number[] = []
  threshold: number[] = []
  left: number[] = []
  defaultLeft: number[] = []
  value: number[] = []
  gain: number[] = []
  cover: number[] = []

  /** Adds a leaf and returns its id. */
  addLeaf(value: number, cover: number): number {
    this.feature.push(-1)
    this.bin.push(-1)
    this.threshold.push(0)
    this.left.push(-1)
    this.defaultLeft.push(0)
    this.value.push(value)
    this.gain.push(0)
    this.cover.push(cover)
    return this.feature.length - 1
  }

  /** Turns leaf `id` into a split whose children are the next two nodes to be added. */
  setSplit(id: number, feature: number, bin: number, threshold: number, defaultLeft: boolean, gain: number): void {
    this.feature[id] = feature
    this.bin[id] = bin
    this.threshold[id] = threshold
    this.left[id] = this.feature.length
    this.defaultLeft[id] = defaultLeft ? 1 : 0
    this.value[id] = 0
    this.gain[id] = gain
  }

  get size(): number {
    return this.feature.length
  }

  /** Leaf reached by row `r` of row-major codes (missing code of feature f is nBins[f]). */
  leafOfBinnedRow(codes: Uint8Array, rowStride: number, nBins: Int32Array, r: number): number {
    let n = 0
    while (this.left[n] >= 0) {
      const f = this.feature[n]
      const c = codes[r * rowStride + f]
      const goLeft = c === nBins[f] ? this.defaultLeft[n] === 1 : c <= this.bin[n]
      n = goLeft ? this.left[n] : this.left[n] + 1
    }
    return n
  }
}
