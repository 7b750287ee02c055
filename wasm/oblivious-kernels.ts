/**
 * The oblivious learner's level histogram pass for one output, compiled to WebAssembly
 * (AssemblyScript) over the shared memory of a fit. The reference is `applyNumericSplit` then
 * `accumulateRows1` in src/learners/oblivious/: the same loops in the same order, so node ids and
 * histograms are bit-identical. Pointers are byte offsets into the memory:
 * - codes: one row's numeric codes in `stride` bytes; offsets: int32, feature j's codes start at
 *   offsets[j] in a node's histogram;
 * - g, h: float64, one a row; node: int32 node id of each row; build: a byte a node, 1 when its
 *   histogram is built in this pass;
 * - hist: node q's histogram starts `nodeSize` doubles after node q - 1's, (gradient, hessian)
 *   sums a code.
 */
import { addRowPair } from './shared/histogram-row'

/**
 * Adds rows [start, end) of the nodes being built into their histograms. When `splitFeature` is
 * not -1, each row first takes the previous level's split (bit `splitLevel` of its node id set
 * when its code of that feature exceeds `splitBorder`), saving a pass over the rows.
 * (gradient, hessian) sums are one 128-bit lane pair, so each add is one SIMD load, add and store.
 */
export function accumulateRows1(codes: usize, stride: i32, nFeatures: i32, offsets: usize, g: usize, h: usize, node: usize, build: usize, nodeSize: i32, hist: usize, start: i32, end: i32, splitFeature: i32, splitBorder: i32, splitLevel: i32): void {
  const nodeBytes = <usize>nodeSize << 3
  for (let i = start; i < end; i++) {
    const p = codes + <usize>i * <usize>stride
    const at = node + (<usize>i << 2)
    let id = load<i32>(at)
    if (splitFeature >= 0) {
      id |= <i32>(<i32>load<u8>(p + <usize>splitFeature) > splitBorder) << splitLevel
      store<i32>(at, id)
    }
    const q = <usize>id
    if (load<u8>(build + q) == 0) continue
    const pair = f64x2(load<f64>(g + (<usize>i << 3)), load<f64>(h + (<usize>i << 3)))
    addRowPair(hist + q * nodeBytes, p, offsets, nFeatures, pair)
  }
}
