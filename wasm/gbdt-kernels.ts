/**
 * The gbdt learner's tree-growing kernels, compiled to WebAssembly (AssemblyScript) over the one
 * shared memory of a kernel executor. The references are the JavaScript kernels of
 * src/learners/gbdt/histogram.ts and partition.ts: the same loops in the same order, so trees
 * are bit-identical. Pointers are byte offsets into the memory:
 * - codes: one row's bin codes in `stride` bytes (a multiple of 4), rows in node order;
 * - gh: float32 pairs (gradient, hessian), one a row; rows: int32 row ids;
 * - offsets: int32, feature f's bins start at offsets[f] in a histogram;
 * - hist: float64 pairs (gradient sum, hessian sum), one a bin.
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

/** Number of rows in [start, end) that go left. */
export function countLeft(codes: usize, stride: i32, start: i32, end: i32, feature: i32, bin: i32, missing: i32, missingLeft: i32): i32 {
  let right = 0
  let p = codes + <usize>start * <usize>stride + <usize>feature
  for (let i = start; i < end; i++, p += <usize>stride) right += goesRight(<i32>load<u8>(p), bin, missing, missingLeft)
  return end - start - right
}

/**
 * Copies rows [start, end) (row id, `words` 32-bit words of codes, gradient pair) to the output
 * buffers: rows going left to positions from `left` on, the others from `right` on.
 */
export function scatter(codes: usize, words: i32, rows: usize, gh: usize, start: i32, end: i32, feature: i32, bin: i32, missing: i32, missingLeft: i32, outCodes: usize, outRows: usize, outGh: usize, left: i32, right: i32): void {
  const stride = <usize>words << 2
  for (let i = start; i < end; i++) {
    const src = codes + <usize>i * stride
    const r = goesRight(<i32>load<u8>(src + <usize>feature), bin, missing, missingLeft)
    const at = r ? right : left
    store<i32>(outRows + (<usize>at << 2), load<i32>(rows + (<usize>i << 2)))
    store<u64>(outGh + (<usize>at << 3), load<u64>(gh + (<usize>i << 3)))
    const dst = outCodes + <usize>at * stride
    if (words == 1) store<u32>(dst, load<u32>(src))
    else if (words == 2) store<u64>(dst, load<u64>(src))
    else memory.copy(dst, src, stride)
    left += 1 - r
    right += r
  }
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
