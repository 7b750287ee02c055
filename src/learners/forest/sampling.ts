/**
 * The random draws of one forest tree: its own generator, seeded from the forest's seed and the
 * tree's index alone (so any thread may build any tree and get the same tree), and its bootstrap
 * sample as a count per training row.
 */
import { Rng } from '../../rng.js'

/**
 * The generator of tree `t` of a forest seeded with `randomState`.
 * @example treeRng(0, 3).next()
 */
export function treeRng(randomState: number, t: number): Rng {
  return new Rng((Math.imul(t + 1, 0x9e3779b1) ^ Math.imul(randomState | 0, 0x85ebca6b)) >>> 0)
}

/**
 * How often each of `n` rows is drawn in `draws` draws with replacement, as scikit-learn's
 * `randint(0, n, draws)`; the tree's generator must be fresh, so the draw can be repeated later
 * (for out-of-bag scoring) from the seed alone.
 * @example bootstrapCounts(5, 5, treeRng(0, 0)) // e.g. Int32Array [2, 0, 1, 1, 1]
 */
export function bootstrapCounts(n: number, draws: number, rng: Rng, out: Int32Array = new Int32Array(n)): Int32Array {
  out.fill(0)
  for (let d = 0; d < draws; d++) out[rng.int(n)]++
  return out
}

/**
 * Rows drawn per tree for `max_samples` (a fraction in (0, 1] or a count) out of `n`.
 * @example sampleSize(0.5, 100) // 50
 */
export function sampleSize(maxSamples: number | undefined, n: number): number {
  if (maxSamples === undefined) return n
  if (maxSamples <= 1) return Math.max(1, Math.round(maxSamples * n))
  return Math.min(maxSamples, n)
}

/**
 * Features examined per split for `max_features` out of `nFeatures`, as scikit-learn resolves it.
 * @example featuresPerSplit('sqrt', 30) // 5
 */
export function featuresPerSplit(maxFeatures: 'sqrt' | 'log2' | number, nFeatures: number): number {
  const k =
    maxFeatures === 'sqrt'
      ? Math.floor(Math.sqrt(nFeatures))
      : maxFeatures === 'log2'
        ? Math.floor(Math.log2(nFeatures))
        : maxFeatures <= 1
          ? Math.floor(maxFeatures * nFeatures)
          : maxFeatures
  return Math.max(1, Math.min(nFeatures, k))
}
