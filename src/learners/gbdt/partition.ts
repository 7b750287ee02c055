/**
 * Partition kernels: a node's rows in one shard, with their codes and gradient pairs, are split
 * by a (feature, bin, default direction) test into the same positions of the other buffer in one
 * pass: left rows from the first position on, in order, right rows from the last position down.
 * Each shard of a node is one task, so results never depend on how many threads ran.
 *
 * Both kernels are branch-free: "goes right" is computed with integer arithmetic, because a
 * data-dependent branch here is mispredicted half the time.
 */

/** 1 when code `c` goes right under the split (bin, missing code, missing goes left?). */
function goesRight(c: number, bin: number, missing: number, missingLeft: number): number {
  // (bin - c) >>> 31 is 1 when c > bin; missing codes exceed every bin, so undo that when
  // missing values go left: ((c ^ missing) - 1) >>> 31 is 1 exactly when c === missing.
  return ((bin - c) >>> 31) & ~((((c ^ missing) - 1) >>> 31) & missingLeft)
}

/**
 * Moves positions [start, end) (row id, `words` 32-bit words of codes, gradient pair) from the
 * source buffers into the same positions of the output ones: rows going left from `start` up,
 * the others from `end - 1` down. Returns the number of rows going left.
 */
export function scatter(
  codes: Uint8Array,
  codeWords: Int32Array,
  words: number,
  rows: Int32Array,
  gh: Float32Array,
  start: number,
  end: number,
  feature: number,
  bin: number,
  missing: number,
  missingLeft: number,
  outWords: Int32Array,
  outRows: Int32Array,
  outGh: Float32Array,
): number {
  const stride = 4 * words
  let left = start
  let right = end - 1
  // One loop per common row width keeps the word copies unrolled; wider rows take the general loop.
  if (words === 1) {
    for (let i = start; i < end; i++) {
      const r = goesRight(codes[i * stride + feature], bin, missing, missingLeft)
      // The chosen side's cursor, by arithmetic instead of a branch.
      const at = left + (right - left) * r
      outRows[at] = rows[i]
      outGh[2 * at] = gh[2 * i]
      outGh[2 * at + 1] = gh[2 * i + 1]
      outWords[at] = codeWords[i]
      left += 1 - r
      right -= r
    }
  } else if (words === 2) {
    for (let i = start; i < end; i++) {
      const r = goesRight(codes[i * stride + feature], bin, missing, missingLeft)
      const at = left + (right - left) * r
      outRows[at] = rows[i]
      outGh[2 * at] = gh[2 * i]
      outGh[2 * at + 1] = gh[2 * i + 1]
      outWords[2 * at] = codeWords[2 * i]
      outWords[2 * at + 1] = codeWords[2 * i + 1]
      left += 1 - r
      right -= r
    }
  } else {
    for (let i = start; i < end; i++) {
      const r = goesRight(codes[i * stride + feature], bin, missing, missingLeft)
      const at = left + (right - left) * r
      outRows[at] = rows[i]
      outGh[2 * at] = gh[2 * i]
      outGh[2 * at + 1] = gh[2 * i + 1]
      outWords.set(codeWords.subarray(i * words, (i + 1) * words), at * words)
      left += 1 - r
      right -= r
    }
  }
  return left - start
}

/**
 * {@link scatter} for quantised training: the same moves, with each position's integer gradient
 * pair as one 16-bit word (`q`) instead of two float32s. Returns the number of rows going left.
 */
export function scatterQuantised(
  codes: Uint8Array,
  codeWords: Int32Array,
  words: number,
  rows: Int32Array,
  q: Int16Array,
  start: number,
  end: number,
  feature: number,
  bin: number,
  missing: number,
  missingLeft: number,
  outWords: Int32Array,
  outRows: Int32Array,
  outQ: Int16Array,
): number {
  const stride = 4 * words
  let left = start
  let right = end - 1
  if (words === 1) {
    for (let i = start; i < end; i++) {
      const r = goesRight(codes[i * stride + feature], bin, missing, missingLeft)
      const at = left + (right - left) * r
      outRows[at] = rows[i]
      outQ[at] = q[i]
      outWords[at] = codeWords[i]
      left += 1 - r
      right -= r
    }
  } else if (words === 2) {
    for (let i = start; i < end; i++) {
      const r = goesRight(codes[i * stride + feature], bin, missing, missingLeft)
      const at = left + (right - left) * r
      outRows[at] = rows[i]
      outQ[at] = q[i]
      outWords[2 * at] = codeWords[2 * i]
      outWords[2 * at + 1] = codeWords[2 * i + 1]
      left += 1 - r
      right -= r
    }
  } else {
    for (let i = start; i < end; i++) {
      const r = goesRight(codes[i * stride + feature], bin, missing, missingLeft)
      const at = left + (right - left) * r
      outRows[at] = rows[i]
      outQ[at] = q[i]
      outWords.set(codeWords.subarray(i * words, (i + 1) * words), at * words)
      left += 1 - r
      right -= r
    }
  }
  return left - start
}

/**
 * Adds to `margin[rows[i] * K + k]` the value of the leaf each position of [start, end) reaches
 * under the split: `leftValue` or `rightValue`. Routes a split's rows to its two leaves without
 * partitioning them.
 */
export function addLeafPairValues(
  codes: Uint8Array,
  stride: number,
  rows: Int32Array,
  start: number,
  end: number,
  feature: number,
  bin: number,
  missing: number,
  missingLeft: number,
  leftValue: number,
  rightValue: number,
  margin: Float64Array,
  K: number,
  k: number,
): void {
  // Pick by index, not by left + (right - left) * r, which is not exact in floating point.
  const values = Float64Array.of(leftValue, rightValue)
  for (let i = start, p = start * stride + feature; i < end; i++, p += stride) {
    margin[rows[i] * K + k] += values[goesRight(codes[p], bin, missing, missingLeft)]
  }
}

/** Adds `value` to `margin[rows[i] * K + k]` for positions [start, end): the rows of one leaf. */
export function addLeafValue(rows: Int32Array, start: number, end: number, value: number, margin: Float64Array, K: number, k: number): void {
  for (let i = start; i < end; i++) margin[rows[i] * K + k] += value
}

/**
 * Puts sampled rows [start, end) in node order at the start of a tree: rows[j] = sampled[j] and
 * the row's gradient pair, as float32, at gh[2j], gh[2j + 1].
 */
export function gatherPairs(sampled: Int32Array, grad: Float64Array, hess: Float64Array, start: number, end: number, rows: Int32Array, gh: Float32Array): void {
  for (let j = start; j < end; j++) {
    const i = sampled[j]
    rows[j] = i
    gh[2 * j] = grad[i]
    gh[2 * j + 1] = hess[i]
  }
}
