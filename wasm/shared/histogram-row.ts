/**
 * The inner loop both boosters' histogram kernels share: one row's (gradient, hessian) pair added
 * to the bin of each of its features. `hist` is the histogram's start, `codes` the row's codes,
 * `offsets` int32 bin offsets a feature. A bin's sums are one 128-bit lane pair, so each add is one
 * SIMD load, add and store; the loop is unrolled by four for independent adds. Each lane adds in
 * float64 as the JavaScript references do, so sums are bit-identical.
 */
@inline export function addRowPair(hist: usize, codes: usize, offsets: usize, nFeatures: i32, pair: v128): void {
  const f4 = nFeatures & ~3
  let f = 0
  for (; f < f4; f += 4) {
    const o = offsets + (<usize>f << 2)
    const k0 = hist + (<usize>(load<i32>(o) + <i32>load<u8>(codes + f)) << 4)
    const k1 = hist + (<usize>(load<i32>(o, 4) + <i32>load<u8>(codes + f + 1)) << 4)
    const k2 = hist + (<usize>(load<i32>(o, 8) + <i32>load<u8>(codes + f + 2)) << 4)
    const k3 = hist + (<usize>(load<i32>(o, 12) + <i32>load<u8>(codes + f + 3)) << 4)
    v128.store(k0, f64x2.add(v128.load(k0), pair))
    v128.store(k1, f64x2.add(v128.load(k1), pair))
    v128.store(k2, f64x2.add(v128.load(k2), pair))
    v128.store(k3, f64x2.add(v128.load(k3), pair))
  }
  for (; f < nFeatures; f++) {
    const k = hist + (<usize>(load<i32>(offsets + (<usize>f << 2)) + <i32>load<u8>(codes + f)) << 4)
    v128.store(k, f64x2.add(v128.load(k), pair))
  }
}
