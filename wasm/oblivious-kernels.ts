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

/**
 * Adds rows [start, end) of the nodes being built into their histograms. When `splitFeature` is
 * not -1, each row first takes the previous level's split (bit `splitLevel` of its node id set
 * when its code of that feature exceeds `splitBorder`), saving a pass over the rows. A code's
 * (gradient, hessian) sums are one 128-bit lane pair, so each add is one SIMD load, add and store.
 */
export function accumulateRows1(codes: usize, stride: i32, nFeatures: i32, offsets: usize, g: usize, h: usize, node: usize, build: usize, nodeSize: i32, hist: usize, start: i32, end: i32, splitFeature: i32, splitBorder: i32, splitLevel: i32): void {
  const f4 = nFeatures & ~3
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
    const base = hist + q * nodeBytes
    const pair = f64x2(load<f64>(g + (<usize>i << 3)), load<f64>(h + (<usize>i << 3)))
    let j = 0
    for (; j < f4; j += 4) {
      const o = offsets + (<usize>j << 2)
      const b0 = base + (<usize>(load<i32>(o) + <i32>load<u8>(p + j)) << 4)
      const b1 = base + (<usize>(load<i32>(o, 4) + <i32>load<u8>(p + j + 1)) << 4)
      const b2 = base + (<usize>(load<i32>(o, 8) + <i32>load<u8>(p + j + 2)) << 4)
      const b3 = base + (<usize>(load<i32>(o, 12) + <i32>load<u8>(p + j + 3)) << 4)
      v128.store(b0, f64x2.add(v128.load(b0), pair))
      v128.store(b1, f64x2.add(v128.load(b1), pair))
      v128.store(b2, f64x2.add(v128.load(b2), pair))
      v128.store(b3, f64x2.add(v128.load(b3), pair))
    }
    for (; j < nFeatures; j++) {
      const b = base + (<usize>(load<i32>(offsets + (<usize>j << 2)) + <i32>load<u8>(p + j)) << 4)
      v128.store(b, f64x2.add(v128.load(b), pair))
    }
  }
}
