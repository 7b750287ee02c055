/**
 * Partition kernels: a node's rows (and their gradient pairs) are split by a (feature, bin,
 * default direction) test into the other row buffer, left rows first, both sides keeping their
 * order. Done in two passes over parts of the node so threads can share it and results never
 * depend on how many threads ran: count the left rows of each part, then scatter each part to
 * positions given by the prefix sums of the counts.
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

/** Number of rows in rows[start..end) that go left. */
export function countLeft(
  codes: Uint8Array,
  nFeatures: number,
  rows: Int32Array,
  start: number,
  end: number,
  feature: number,
  bin: number,
  missing: number,
  missingLeft: number,
): number {
  let right = 0
  for (let i = start; i < end; i++) right += goesRight(codes[rows[i] * nFeatures + feature], bin, missing, missingLeft)
  return end - start - right
}

/**
 * Copies rows[start..end) and their pairs from (rows, gh) into (outRows, outGh): rows going left
 * to positions from `left` on, the others from `right` on.
 */
export function scatter(
  codes: Uint8Array,
  nFeatures: number,
  rows: Int32Array,
  gh: Float64Array,
  start: number,
  end: number,
  feature: number,
  bin: number,
  missing: number,
  missingLeft: number,
  outRows: Int32Array,
  outGh: Float64Array,
  left: number,
  right: number,
): void {
  for (let i = start; i < end; i++) {
    const row = rows[i]
    const g = gh[2 * i]
    const h = gh[2 * i + 1]
    const r = goesRight(codes[row * nFeatures + feature], bin, missing, missingLeft)
    // The chosen side's cursor, by arithmetic instead of a branch.
    const at = left + (right - left) * r
    outRows[at] = row
    outGh[2 * at] = g
    outGh[2 * at + 1] = h
    left += 1 - r
    right += r
  }
}
