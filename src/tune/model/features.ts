/**
 * The Gaussian process's inputs for a point of the search space: each numeric range's cube
 * coordinate (snapped to the integer it rounds to, so the model scores the point that would run),
 * and each categorical range one-hot over its values (so no order is imposed on categories, and
 * each category pair is equally far apart).
 */
import type { SearchSpace } from '../space.js'

/** Where each range's features sit in a feature vector. */
export interface FeatureMap {
  /** Features per point. */
  readonly width: number
  /** Writes the features of snapped cube coordinates `u` into `out` from `offset`. */
  write(u: ArrayLike<number>, out: Float64Array, offset: number): void
}

/**
 * The feature map of `space`: one feature per numeric range, k per categorical range of k values.
 * @example
 * const map = featureMap(space) // eta, max_depth, grow_policy (2 values): width 4
 * map.write(snap(space, u), x, 0)
 */
export function featureMap(space: SearchSpace): FeatureMap {
  const sizes = space.ranges.map((r) => (r.type === 'categorical' ? r.values.length : 0))
  const width = sizes.reduce((w, k) => w + Math.max(1, k), 0)
  return {
    width,
    write(u, out, offset) {
      let o = offset
      for (let j = 0; j < sizes.length; j++) {
        const k = sizes[j]
        if (k === 0) {
          out[o++] = u[j]
        } else {
          const c = Math.min(k - 1, Math.max(0, Math.floor(u[j] * k)))
          for (let i = 0; i < k; i++) out[o + i] = i === c ? 1 : 0
          o += k
        }
      }
    },
  }
}
