/**
 * The gbdt learner's tree-growing kernels, compiled to WebAssembly (AssemblyScript) over the one
 * shared memory of a kernel executor. The references are the JavaScript kernels of
 * src/learners/gbdt/histogram.ts and partition.ts: the same loops in the same order, so trees
 * are bit-identical. Pointers are byte offsets into the memory:
 * - codes: one row's bin codes in `stride` bytes (a multiple of 4), rows in node order;
 * - gh: float32 pairs (gradient, hessian), one a row; rows: int32 row ids;
 * - offsets: int32, feature f's bins start at offsets[f] in a histogram;
 * - hist: float64 pairs (gradient sum, hessian sum), one a bin.
 * Quantised training (src/learners/gbdt/quantise.ts) has its own three kernels, whose references
 * are in the same files and in quantise.ts:
 * - q: a row's integer gradient and hessian, one signed byte each;
 * - int hist: int32 pairs (gradient sum, hessian sum), one a bin.
 */
import { addRowPair } from './shared/histogram-row'

/** Adds rows [start, end) into `hist`. */
export function histogram(codes: usize, stride: i32, nFeatures: i32, offsets: usize, gh: usize, start: i32, end: i32, hist: usize): void {
  for (let i = start; i < end; i++) {
    const pair = f64x2(<f64>load<f32>(gh + (<usize>i << 3)), <f64>load<f32>(gh + (<usize>i << 3), 4))
    addRowPair(hist, codes + <usize>i * <usize>stride, offsets, nFeatures, pair)
  }
}

/** 1 when code `c` goes right under the split (bin, missing code, missing goes left?). */
@inline function goesRight(c: i32, bin: i32, missing: i32, missingLeft: i32): i32 {
  return <i32>(<u32>(bin - c) >> 31) & ~(<i32>(<u32>((c ^ missing) - 1) >> 31) & missingLeft)
}

/**
 * Moves rows [start, end) (row id, `words` 32-bit words of codes, gradient pair) to the same
 * positions of the output buffers: rows going left from `start` up, the others from `end - 1`
 * down; returns the number going left. One loop per common row width (the width test hoisted out
 * of the row loop).
 */
export function scatter(codes: usize, words: i32, rows: usize, gh: usize, start: i32, end: i32, feature: i32, bin: i32, missing: i32, missingLeft: i32, outCodes: usize, outRows: usize, outGh: usize): i32 {
  let left = start
  let right = end - 1
  if (words == 1) {
    for (let i = start; i < end; i++) {
      const src = codes + (<usize>i << 2)
      const r = goesRight(<i32>load<u8>(src + <usize>feature), bin, missing, missingLeft)
      const at = r ? right : left
      store<i32>(outRows + (<usize>at << 2), load<i32>(rows + (<usize>i << 2)))
      store<u64>(outGh + (<usize>at << 3), load<u64>(gh + (<usize>i << 3)))
      store<u32>(outCodes + (<usize>at << 2), load<u32>(src))
      left += 1 - r
      right -= r
    }
  } else if (words == 2) {
    for (let i = start; i < end; i++) {
      const src = codes + (<usize>i << 3)
      const r = goesRight(<i32>load<u8>(src + <usize>feature), bin, missing, missingLeft)
      const at = r ? right : left
      store<i32>(outRows + (<usize>at << 2), load<i32>(rows + (<usize>i << 2)))
      store<u64>(outGh + (<usize>at << 3), load<u64>(gh + (<usize>i << 3)))
      store<u64>(outCodes + (<usize>at << 3), load<u64>(src))
      left += 1 - r
      right -= r
    }
  } else {
    const stride = <usize>words << 2
    for (let i = start; i < end; i++) {
      const src = codes + <usize>i * stride
      const r = goesRight(<i32>load<u8>(src + <usize>feature), bin, missing, missingLeft)
      const at = r ? right : left
      store<i32>(outRows + (<usize>at << 2), load<i32>(rows + (<usize>i << 2)))
      store<u64>(outGh + (<usize>at << 3), load<u64>(gh + (<usize>i << 3)))
      memory.copy(outCodes + <usize>at * stride, src, stride)
      left += 1 - r
      right -= r
    }
  }
  return left - start
}

/**
 * Adds to margin[rows[i] * K + k] the value of the leaf each row of [start, end) reaches under
 * the split: `leftValue` or `rightValue` (routes a split's rows to its two leaves without
 * partitioning them).
 */
export function addLeafPairValues(codes: usize, stride: i32, rows: usize, start: i32, end: i32, feature: i32, bin: i32, missing: i32, missingLeft: i32, leftValue: f64, rightValue: f64, margin: usize, K: i32, k: i32): void {
  let p = codes + <usize>start * <usize>stride + <usize>feature
  const out = margin + (<usize>k << 3)
  const rowBytes = <usize>K << 3
  for (let i = start; i < end; i++, p += <usize>stride) {
    const m = out + <usize>load<i32>(rows + (<usize>i << 2)) * rowBytes
    store<f64>(m, load<f64>(m) + select<f64>(rightValue, leftValue, goesRight(<i32>load<u8>(p), bin, missing, missingLeft)))
  }
}

/** Adds `value` to margin[rows[i] * K + k] for rows [start, end): the rows of one leaf. */
export function addLeafValue(rows: usize, start: i32, end: i32, value: f64, margin: usize, K: i32, k: i32): void {
  const out = margin + (<usize>k << 3)
  const rowBytes = <usize>K << 3
  for (let i = start; i < end; i++) {
    const m = out + <usize>load<i32>(rows + (<usize>i << 2)) * rowBytes
    store<f64>(m, load<f64>(m) + value)
  }
}

/**
 * Puts sampled rows [start, end) in node order at the start of a tree: rows[j] = sampled[j] and
 * gh[j] = (grad, hess)[sampled[j]] in float32 (grad and hess: float64, one a row).
 */
export function gatherPairs(sampled: usize, grad: usize, hess: usize, start: i32, end: i32, rows: usize, gh: usize): void {
  for (let j = start; j < end; j++) {
    const i = load<i32>(sampled + (<usize>j << 2))
    store<i32>(rows + (<usize>j << 2), i)
    store<f32>(gh + (<usize>j << 3), <f32>load<f64>(grad + (<usize>i << 3)))
    store<f32>(gh + (<usize>j << 3), <f32>load<f64>(hess + (<usize>i << 3)), 4)
  }
}

/**
 * Quantised training: adds rows [start, end) into an int hist. A bin's pair is the low 64 bits of
 * one 128-bit lane set: one load, one i32x4 add and one store a feature.
 */
export function histogramQuantised(codes: usize, stride: i32, nFeatures: i32, offsets: usize, q: usize, start: i32, end: i32, hist: usize): void {
  const f4 = nFeatures & ~3
  for (let i = start; i < end; i++) {
    const qp = q + (<usize>i << 1)
    const pair = i32x4.replace_lane(i32x4.splat(<i32>load<i8>(qp)), 1, <i32>load<i8>(qp, 1))
    const row = codes + <usize>i * <usize>stride
    let f = 0
    for (; f < f4; f += 4) {
      const o = offsets + (<usize>f << 2)
      const k0 = hist + (<usize>(load<i32>(o) + <i32>load<u8>(row + f)) << 3)
      const k1 = hist + (<usize>(load<i32>(o, 4) + <i32>load<u8>(row + f + 1)) << 3)
      const k2 = hist + (<usize>(load<i32>(o, 8) + <i32>load<u8>(row + f + 2)) << 3)
      const k3 = hist + (<usize>(load<i32>(o, 12) + <i32>load<u8>(row + f + 3)) << 3)
      v128.store64_lane(k0, i32x4.add(v128.load64_zero(k0), pair), 0)
      v128.store64_lane(k1, i32x4.add(v128.load64_zero(k1), pair), 0)
      v128.store64_lane(k2, i32x4.add(v128.load64_zero(k2), pair), 0)
      v128.store64_lane(k3, i32x4.add(v128.load64_zero(k3), pair), 0)
    }
    for (; f < nFeatures; f++) {
      const k = hist + (<usize>(load<i32>(offsets + (<usize>f << 2)) + <i32>load<u8>(row + f)) << 3)
      v128.store64_lane(k, i32x4.add(v128.load64_zero(k), pair), 0)
    }
  }
}

/**
 * {@link scatter} for quantised training: a row's gradient pair is one 16-bit word of q; returns
 * the number of rows going left. One loop per common row width (the width test hoisted out of the
 * row loop).
 */
export function scatterQuantised(codes: usize, words: i32, rows: usize, q: usize, start: i32, end: i32, feature: i32, bin: i32, missing: i32, missingLeft: i32, outCodes: usize, outRows: usize, outQ: usize): i32 {
  let left = start
  let right = end - 1
  if (words == 1) {
    for (let i = start; i < end; i++) {
      const src = codes + (<usize>i << 2)
      const r = goesRight(<i32>load<u8>(src + <usize>feature), bin, missing, missingLeft)
      const at = r ? right : left
      store<i32>(outRows + (<usize>at << 2), load<i32>(rows + (<usize>i << 2)))
      store<u16>(outQ + (<usize>at << 1), load<u16>(q + (<usize>i << 1)))
      store<u32>(outCodes + (<usize>at << 2), load<u32>(src))
      left += 1 - r
      right -= r
    }
  } else if (words == 2) {
    for (let i = start; i < end; i++) {
      const src = codes + (<usize>i << 3)
      const r = goesRight(<i32>load<u8>(src + <usize>feature), bin, missing, missingLeft)
      const at = r ? right : left
      store<i32>(outRows + (<usize>at << 2), load<i32>(rows + (<usize>i << 2)))
      store<u16>(outQ + (<usize>at << 1), load<u16>(q + (<usize>i << 1)))
      store<u64>(outCodes + (<usize>at << 3), load<u64>(src))
      left += 1 - r
      right -= r
    }
  } else {
    const stride = <usize>words << 2
    for (let i = start; i < end; i++) {
      const src = codes + <usize>i * stride
      const r = goesRight(<i32>load<u8>(src + <usize>feature), bin, missing, missingLeft)
      const at = r ? right : left
      store<i32>(outRows + (<usize>at << 2), load<i32>(rows + (<usize>i << 2)))
      store<u16>(outQ + (<usize>at << 1), load<u16>(q + (<usize>i << 1)))
      memory.copy(outCodes + <usize>at * stride, src, stride)
      left += 1 - r
      right -= r
    }
  }
  return left - start
}

/** splitmix32's output step (src/rng.ts seeds its generator with it). */
@inline function mix32(z: u32): u32 {
  z = (z ^ (z >>> 16)) * 0x85ebca6b
  z = (z ^ (z >>> 13)) * 0xc2b2ae35
  return z ^ (z >>> 16)
}

/** 2^-16: a random 16-bit half as a fraction. */
const HALF_UNIT: f64 = 1.0 / 65536.0

/**
 * Quantised training: puts sampled rows [start, end) in node order with discretised gradient
 * pairs (reference: gatherQuantisedPairs in src/learners/gbdt/quantise.ts). The random offsets
 * come from src/rng.ts's generator (xoshiro128**, seeded through splitmix32) on the part's seed;
 * flags: 1 stochastic rounding, 2 constant hessian.
 */
export function gatherQuantised(sampled: usize, grad: usize, hess: usize, start: i32, end: i32, rows: usize, q: usize, gInv: f64, hInv: f64, key: u32, flags: i32): void {
  let s: u32 = key ^ (<u32>start * 0x9e3779b1)
  s += 0x9e3779b9
  let a = mix32(s)
  s += 0x9e3779b9
  let b = mix32(s)
  s += 0x9e3779b9
  let c = mix32(s)
  s += 0x9e3779b9
  let d = mix32(s)
  const stochastic = (flags & 1) != 0
  const constant = (flags & 2) != 0
  for (let j = start; j < end; j++) {
    const i = load<i32>(sampled + (<usize>j << 2))
    store<i32>(rows + (<usize>j << 2), i)
    let ug: f64 = 0.5
    let uh: f64 = 0.5
    if (stochastic) {
      const r = rotl<u32>(b * 5, 7) * 9
      const t = b << 9
      c ^= a
      d ^= b
      b ^= c
      a ^= d
      c ^= t
      d = rotl<u32>(d, 11)
      ug = (<f64>(r >>> 16) + 0.5) * HALF_UNIT
      uh = (<f64>(r & 0xffff) + 0.5) * HALF_UNIT
    }
    const qp = q + (<usize>j << 1)
    store<i8>(qp, <i32>floor<f64>(load<f64>(grad + (<usize>i << 3)) * gInv + ug))
    store<i8>(qp, constant ? 1 : <i32>floor<f64>(load<f64>(hess + (<usize>i << 3)) * hInv + uh), 1)
  }
}

/**
 * Quantised training: writes max |g|, max h and min h of grad and hess (float64) over rows
 * [start, end) to out (three float64s); reference: gradientRange in quantise.ts. Maxima and minima
 * are the same in any order (up to the sign of a zero, which the caller drops).
 */
export function gradientRange(grad: usize, hess: usize, start: i32, end: i32, out: usize): void {
  let maxG = f64x2.splat(-Infinity)
  let maxH = f64x2.splat(-Infinity)
  let minH = f64x2.splat(Infinity)
  let i = start
  for (; i + 1 < end; i += 2) {
    const h = v128.load(hess + (<usize>i << 3))
    maxG = f64x2.max(maxG, f64x2.abs(v128.load(grad + (<usize>i << 3))))
    maxH = f64x2.max(maxH, h)
    minH = f64x2.min(minH, h)
  }
  let mg = max<f64>(f64x2.extract_lane(maxG, 0), f64x2.extract_lane(maxG, 1))
  let mh = max<f64>(f64x2.extract_lane(maxH, 0), f64x2.extract_lane(maxH, 1))
  let nh = min<f64>(f64x2.extract_lane(minH, 0), f64x2.extract_lane(minH, 1))
  if (i < end) {
    const h = load<f64>(hess + (<usize>i << 3))
    mg = max<f64>(mg, abs<f64>(load<f64>(grad + (<usize>i << 3))))
    mh = max<f64>(mh, h)
    nh = min<f64>(nh, h)
  }
  store<f64>(out, mg)
  store<f64>(out, mh, 8)
  store<f64>(out, nh, 16)
}
