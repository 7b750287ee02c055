/**
 * "Did you mean ...?" for unknown names: the candidate nearest by Levenshtein edit distance.
 * Used wherever a user can mistype a name (parameters, metrics, learner kinds, spec fields).
 */

/**
 * The Levenshtein distance between two strings: the fewest single-character insertions,
 * deletions and substitutions that turn `a` into `b` (compared by UTF-16 code unit).
 *
 * @example
 * levenshtein('kitten', 'sitting') // 3
 */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0
  if (a.length === 0) return b.length
  if (b.length === 0) return a.length
  // One row of the dynamic-programming table, indexed by position in b.
  const row = new Int32Array(b.length + 1)
  for (let j = 0; j <= b.length; j++) row[j] = j
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] // table[i-1][j-1]
    row[0] = i
    const ca = a.charCodeAt(i - 1)
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] // table[i-1][j]
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1
      row[j] = Math.min(above + 1, row[j - 1] + 1, diagonal + cost)
      diagonal = above
    }
  }
  return row[b.length]
}

/**
 * The candidate closest to `name` (case-insensitively), or `undefined` when none is close enough
 * to be a plausible typo. Ties go to the earlier candidate.
 *
 * @param maxDistance the largest edit distance still suggested; by default a third of the longer
 *   of the two names, at least 2 (so 'rmes' finds 'rmse' but 'foo' does not find 'accuracy').
 * @example
 * closestName('max_dpeth', ['eta', 'max_depth', 'subsample']) // 'max_depth'
 * closestName('colour', ['eta', 'max_depth'])                // undefined
 */
export function closestName(name: string, candidates: Iterable<string>, maxDistance?: number): string | undefined {
  const target = name.toLowerCase()
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of candidates) {
    const d = levenshtein(target, candidate.toLowerCase())
    const limit = maxDistance ?? Math.max(2, Math.floor(Math.max(target.length, candidate.length) / 3))
    if (d <= limit && d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best
}
