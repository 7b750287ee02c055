/**
 * The model-based strategy's opening design: a Latin hypercube, so its first few points cover every
 * dimension evenly (each of the n slices of each dimension holds exactly one point) instead of
 * clumping as independent uniform draws can.
 */
import type { Rng } from '../../rng.js'

/**
 * `n` points in the `dims`-dimensional unit cube, one per slice [i/n, (i+1)/n) of every dimension,
 * placed uniformly within their slice; the slices of each dimension are paired at random.
 * @example latinHypercube(5, 2, new Rng(1)) // 5 Float64Arrays of 2 coordinates
 */
export function latinHypercube(n: number, dims: number, rng: Rng): Float64Array[] {
  const points = Array.from({ length: n }, () => new Float64Array(dims))
  const perm = new Int32Array(n)
  for (let j = 0; j < dims; j++) {
    for (let i = 0; i < n; i++) perm[i] = i
    rng.shuffle(perm)
    for (let i = 0; i < n; i++) points[i][j] = (perm[i] + rng.next()) / n
  }
  return points
}
