/**
 * Tree-ensemble prediction, compiled to WebAssembly (AssemblyScript). The reference is
 * `predictMarginsReference` in src/runtime/tree-ensemble.ts; both sum the same leaf values in the
 * same order, so their margins are bit-identical.
 *
 * Layout, all little-endian in the one linear memory (written by src/runtime/wasm/tree-kernel.ts):
 * - x: rows row-major, f64, NaN for missing;
 * - trees: 16 bytes a tree, [root node index u32, depth u32, output u32, unused u32];
 * - records: 16 bytes a node, [threshold f64, feature * 8 u32, left child u32], the child as a
 *   byte offset from the tree's root record; the right child is the record after the left one. A
 *   leaf points to itself with a NaN threshold, so every row takes exactly `depth` steps;
 * - missingRight: a byte a node, 1 when a missing value goes right;
 * - values: f64 a node, the leaf values;
 * - out: nRows x nOut f64, already holding the base margins; each tree adds to it.
 */

/** Rows evaluated together: one tree's records stay in cache while the block descends it. */
const BLOCK: i32 = 64

/** One step down: right when x >= threshold (NaN never is). */
@inline function step(rec: usize, n: u32, row: usize): u32 {
  const a = rec + n
  return load<u32>(a, 12) + (<u32>(load<f64>(row + load<u32>(a, 8)) >= load<f64>(a)) << 4)
}

/** One step down when the row may hold missing values: they go where the node says. */
@inline function stepMissing(rec: usize, missingRight: usize, n: u32, row: usize): u32 {
  const a = rec + n
  const v = load<f64>(row + load<u32>(a, 8))
  const right = <u32>(v >= load<f64>(a)) | (<u32>(v != v) & <u32>load<u8>(missingRight + (n >> 4)))
  return load<u32>(a, 12) + (right << 4)
}

@inline function add(out: usize, value: f64): void {
  store<f64>(out, load<f64>(out) + value)
}

/**
 * Adds one tree's leaf values for rows [r0, r1) to `out`. Four rows descend together, four
 * independent chains of loads the processor overlaps. `missing` is a constant at each call, so
 * each instance keeps only its own step.
 */
@inline function descend(rec: usize, missingRight: usize, values: usize, depth: u32, x: usize, stride: usize, r0: i32, r1: i32, out: usize, outStride: usize, missing: bool): void {
  let r = r0
  for (; r + 4 <= r1; r += 4) {
    const x0 = x + <usize>r * stride
    const x1 = x0 + stride
    const x2 = x1 + stride
    const x3 = x2 + stride
    let n0: u32 = 0
    let n1: u32 = 0
    let n2: u32 = 0
    let n3: u32 = 0
    for (let d = depth; d > 0; d--) {
      if (missing) {
        n0 = stepMissing(rec, missingRight, n0, x0)
        n1 = stepMissing(rec, missingRight, n1, x1)
        n2 = stepMissing(rec, missingRight, n2, x2)
        n3 = stepMissing(rec, missingRight, n3, x3)
      } else {
        n0 = step(rec, n0, x0)
        n1 = step(rec, n1, x1)
        n2 = step(rec, n2, x2)
        n3 = step(rec, n3, x3)
      }
    }
    const o = out + <usize>r * outStride
    add(o, load<f64>(values + (n0 >> 1)))
    add(o + outStride, load<f64>(values + (n1 >> 1)))
    add(o + 2 * outStride, load<f64>(values + (n2 >> 1)))
    add(o + 3 * outStride, load<f64>(values + (n3 >> 1)))
  }
  for (; r < r1; r++) {
    const x0 = x + <usize>r * stride
    let n0: u32 = 0
    for (let d = depth; d > 0; d--) n0 = missing ? stepMissing(rec, missingRight, n0, x0) : step(rec, n0, x0)
    add(out + <usize>r * outStride, load<f64>(values + (n0 >> 1)))
  }
}

/** Whether rows [r0, r1) hold a missing value. */
function anyMissing(x: usize, nFeatures: i32, r0: i32, r1: i32): bool {
  const end = x + (<usize>r1 * <usize>nFeatures << 3)
  for (let p = x + (<usize>r0 * <usize>nFeatures << 3); p < end; p += 8) {
    const v = load<f64>(p)
    if (v != v) return true
  }
  return false
}

/**
 * Adds the leaf values of trees [0, nTrees) for `nRows` rows to `out`. A block of rows with no
 * missing value takes the shorter step.
 */
export function predictTrees(x: usize, nRows: i32, nFeatures: i32, nOutputs: i32, trees: usize, nTrees: i32, records: usize, missingRight: usize, values: usize, out: usize): void {
  const stride = <usize>nFeatures << 3
  const outStride = <usize>nOutputs << 3
  for (let b0 = 0; b0 < nRows; b0 += BLOCK) {
    const b1 = min(nRows, b0 + BLOCK)
    const missing = anyMissing(x, nFeatures, b0, b1)
    for (let t = 0; t < nTrees; t++) {
      const tree = trees + (<usize>t << 4)
      const root = <usize>load<u32>(tree)
      const depth = load<u32>(tree, 4)
      const o = out + (<usize>load<u32>(tree, 8) << 3)
      const rec = records + (root << 4)
      const flags = missingRight + root
      const vals = values + (root << 3)
      if (missing) descend(rec, flags, vals, depth, x, stride, b0, b1, o, outStride, true)
      else descend(rec, flags, vals, depth, x, stride, b0, b1, o, outStride, false)
    }
  }
}
