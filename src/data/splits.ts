/**
 * Row splits for cross-validation and holdout evaluation, with scikit-learn's semantics
 * (`KFold`, `StratifiedKFold`, `train_test_split`) and consort's seeded {@link Rng}, so the same
 * seed always gives the same folds.
 *
 * Every split is a list of {@link Fold}s whose index arrays are sorted ascending. Folds are built
 * from a per-row fold assignment, so every row is in exactly one test fold and each fold's train
 * set is the complement of its test set.
 */
import { ParamError } from '../errors.js'
import { Rng } from '../rng.js'

/** One train/test split of the rows `0 .. nRows-1`; both arrays sorted ascending, disjoint. */
export interface Fold {
  readonly train: Int32Array
  readonly test: Int32Array
}

/**
 * Splits `nRows` rows into `k` folds of sizes differing by at most one (the first `nRows % k` folds
 * get the extra row, as in scikit-learn's `KFold`). With `shuffle` the rows are permuted from
 * `seed` first; without it the test folds are consecutive blocks and the seed is unused.
 *
 * @throws ParamError when `k < 2`, `k > nRows` or an argument is not an integer.
 * @example
 * const folds = kFold(10, 3, 42)
 * folds.map((f) => f.test.length) // [4, 3, 3]
 */
export function kFold(nRows: number, k: number, seed: number, shuffle = true): Fold[] {
  checkRowsAndK(nRows, k)
  const order = new Int32Array(nRows)
  for (let i = 0; i < nRows; i++) order[i] = i
  if (shuffle) new Rng(seed).shuffle(order)
  const assignment = new Int32Array(nRows)
  const base = Math.floor(nRows / k)
  const extra = nRows % k
  let pos = 0
  for (let f = 0; f < k; f++) {
    const size = base + (f < extra ? 1 : 0)
    for (let j = 0; j < size; j++) assignment[order[pos++]] = f
  }
  return foldsFromAssignment(assignment, k)
}

/**
 * Splits rows into `k` folds that keep each class's share, with scikit-learn's `StratifiedKFold`
 * allocation: the labels, sorted by class (classes in order of first appearance), are dealt to
 * the folds in turn, so each class's count per fold differs by at most one and the fold sizes
 * differ by at most one. Which rows of a class go to which fold is shuffled from `seed`.
 *
 * A class with fewer than `k` rows is allowed (scikit-learn only warns): it is simply absent from
 * some test folds. Every fold is still non-empty because `k <= labels.length` is required.
 *
 * @param labels class id of each row (any finite numbers; compared by value)
 * @throws ParamError when `k < 2`, `k > labels.length` or a label is not finite.
 * @example
 * const y = new Float64Array([0, 0, 0, 0, 1, 1])
 * const folds = stratifiedKFold(y, 2, 7)
 * // each test fold holds two rows of class 0 and one of class 1
 */
export function stratifiedKFold(labels: Float64Array, k: number, seed: number): Fold[] {
  const nRows = labels.length
  checkRowsAndK(nRows, k)
  // Encode classes in order of first appearance, as scikit-learn does.
  const codeOf = new Map<number, number>()
  const encoded = new Int32Array(nRows)
  for (let i = 0; i < nRows; i++) {
    const v = labels[i]
    if (!Number.isFinite(v)) {
      throw new ParamError(`label of row ${i} is ${v}; class ids must be finite numbers`, { field: 'labels' })
    }
    let c = codeOf.get(v)
    if (c === undefined) {
      c = codeOf.size
      codeOf.set(v, c)
    }
    encoded[i] = c
  }
  const nClasses = codeOf.size
  const counts = new Int32Array(nClasses)
  for (let i = 0; i < nRows; i++) counts[encoded[i]]++

  // allocation[f * nClasses + c]: rows of class c in test fold f. Dealing the class-sorted labels
  // round-robin sends position j of that order to fold j % k; class c holds positions [offsets[c], offsets[c + 1]).
  const allocation = new Int32Array(k * nClasses)
  const offsets = new Int32Array(nClasses + 1)
  for (let c = 0; c < nClasses; c++) offsets[c + 1] = offsets[c] + counts[c]
  for (let c = 0; c < nClasses; c++) {
    for (let f = 0; f < k; f++) {
      allocation[f * nClasses + c] = positionsBelow(offsets[c + 1], f, k) - positionsBelow(offsets[c], f, k)
    }
  }

  // Rows grouped by class, each group in row order (a counting sort).
  const byClass = new Int32Array(nRows)
  const next = offsets.slice(0, nClasses)
  for (let i = 0; i < nRows; i++) byClass[next[encoded[i]]++] = i

  const rng = new Rng(seed)
  const assignment = new Int32Array(nRows)
  for (let c = 0; c < nClasses; c++) {
    // The fold of each of this class's rows, in row order: fold f repeated allocation[f][c] times, shuffled.
    const folds = new Int32Array(counts[c])
    let p = 0
    for (let f = 0; f < k; f++) {
      const m = allocation[f * nClasses + c]
      for (let j = 0; j < m; j++) folds[p++] = f
    }
    rng.shuffle(folds)
    for (let j = 0; j < counts[c]; j++) assignment[byClass[offsets[c] + j]] = folds[j]
  }
  return foldsFromAssignment(assignment, k)
}

/**
 * One shuffled train/test split, like scikit-learn's `train_test_split`: the test set has
 * `ceil(testFraction * nRows)` rows, the train set the rest.
 *
 * @throws ParamError when `testFraction` is not in (0, 1) or either side would be empty.
 * @example
 * const [fold] = holdout(100, 0.2, 1)
 * fold.test.length // 20
 */
export function holdout(nRows: number, testFraction: number, seed: number): Fold[] {
  checkCount(nRows, 'nRows')
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new ParamError(`testFraction must be in (0, 1), got ${testFraction}`, { field: 'testFraction' })
  }
  const nTest = Math.ceil(testFraction * nRows)
  if (nTest >= nRows) {
    // ceil of a positive fraction is >= 1, so only the training side can come out empty
    throw new ParamError(
      `testFraction ${testFraction} of ${nRows} rows leaves no training rows`,
      { field: 'testFraction' },
    )
  }
  const order = new Int32Array(nRows)
  for (let i = 0; i < nRows; i++) order[i] = i
  new Rng(seed).shuffle(order)
  const assignment = new Int32Array(nRows).fill(1)
  for (let j = 0; j < nTest; j++) assignment[order[j]] = 0
  return [foldsFromAssignment(assignment, 2)[0]]
}

/** How many positions j in [0, m) have j % k == f. */
function positionsBelow(m: number, f: number, k: number): number {
  return Math.floor((m + k - 1 - f) / k)
}

/** Builds the folds from each row's test-fold number; indices come out sorted because rows are visited in order. */
function foldsFromAssignment(assignment: Int32Array, k: number): Fold[] {
  const n = assignment.length
  const sizes = new Int32Array(k)
  for (let i = 0; i < n; i++) sizes[assignment[i]]++
  const folds: Fold[] = []
  for (let f = 0; f < k; f++) {
    const test = new Int32Array(sizes[f])
    const train = new Int32Array(n - sizes[f])
    let t = 0
    let r = 0
    for (let i = 0; i < n; i++) {
      if (assignment[i] === f) test[t++] = i
      else train[r++] = i
    }
    folds.push({ train, test })
  }
  return folds
}

function checkRowsAndK(nRows: number, k: number): void {
  checkCount(nRows, 'nRows')
  if (!Number.isInteger(k) || k < 2) {
    throw new ParamError(`k must be an integer >= 2, got ${k}`, { field: 'k' })
  }
  if (k > nRows) {
    throw new ParamError(`k = ${k} folds needs at least ${k} rows, got ${nRows}`, { field: 'k' })
  }
}

function checkCount(n: number, field: string): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new ParamError(`${field} must be a non-negative integer, got ${n}`, { field })
  }
}
