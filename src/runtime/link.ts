/**
 * Output transforms from raw margins to predictions: what `predict` returns after the trees.
 * No Node-only imports.
 */
/**
 * Every output link, for checking a state's link.
 * @example LINKS.includes('sigmoid') // true
 */
export const LINKS = ['identity', 'sigmoid', 'softmax', 'exp'] as const

/** An output transform from margins to predictions. */
export type Link = (typeof LINKS)[number]

/**
 * Applies `link` in place to row-major margins with `nOutputs` per row and returns them.
 * @example applyLink('sigmoid', new Float64Array([0]), 1) // Float64Array [0.5]
 */
export function applyLink(link: Link, margins: Float64Array, nOutputs: number): Float64Array {
  const n = margins.length
  switch (link) {
    case 'identity':
      return margins
    case 'sigmoid':
      for (let i = 0; i < n; i++) margins[i] = 1 / (1 + Math.exp(-margins[i]))
      return margins
    case 'exp':
      for (let i = 0; i < n; i++) margins[i] = Math.exp(margins[i])
      return margins
    case 'softmax':
      for (let r = 0; r < n; r += nOutputs) softmaxInPlace(margins, r, nOutputs)
      return margins
  }
}

/** Numerically stable softmax of `a[start .. start + k)` in place. */
export function softmaxInPlace(a: Float64Array, start: number, k: number): void {
  let max = -Infinity
  for (let j = 0; j < k; j++) if (a[start + j] > max) max = a[start + j]
  let sum = 0
  for (let j = 0; j < k; j++) {
    const e = Math.exp(a[start + j] - max)
    a[start + j] = e
    sum += e
  }
  for (let j = 0; j < k; j++) a[start + j] /= sum
}
