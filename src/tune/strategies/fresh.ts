/**
 * What every strategy needs from the history to avoid repeats: the keys of the points already
 * tried (in any state: a Failed trial's point is not tried again either), the next trial number,
 * and a uniform point not yet tried.
 */
import type { Rng } from '../../rng.js'
import { discreteSize, pointAt, pointKey, sampleUniform, type SearchSpace } from '../space.js'
import type { Params, TrialView } from '../types.js'

/** Discrete spaces up to this size are enumerated when random draws keep hitting used points. */
const ENUMERATE_LIMIT = 200_000
/** Random draws before falling back to enumeration (or giving up on a huge, nearly full space). */
const DRAWS = 64

/**
 * The keys of every trial's point.
 * @example const used = usedKeys(space, history); used.has(pointKey(space, p))
 */
export function usedKeys(space: SearchSpace, history: readonly TrialView[]): Set<string> {
  return new Set(history.map((t) => pointKey(space, t.params)))
}

/**
 * The number the next trial gets: one more than the largest so far (0 for an empty history).
 * @example nextTrialNumber([{ number: 4, ... }]) // 5
 */
export function nextTrialNumber(history: readonly TrialView[]): number {
  let next = 0
  for (const t of history) next = Math.max(next, t.number + 1)
  return next
}

/**
 * History sorted by trial number (strategies must not depend on the order they are shown trials in).
 * @example const ordered = byNumber(history)
 */
export function byNumber(history: readonly TrialView[]): TrialView[] {
  return [...history].sort((a, b) => a.number - b.number)
}

/**
 * A uniformly drawn point whose key is not in `used`, or undefined when the space has none left.
 * Draws at random first; a discrete space that keeps giving used points is enumerated and one of
 * its unused points is picked uniformly.
 * @example const p = freshUniform(space, used, rng)
 */
export function freshUniform(space: SearchSpace, used: ReadonlySet<string>, rng: Rng): Params | undefined {
  const size = discreteSize(space)
  if (used.size >= size) return undefined
  for (let i = 0; i < DRAWS; i++) {
    const p = sampleUniform(space, rng)
    if (!used.has(pointKey(space, p))) return p
  }
  if (size > ENUMERATE_LIMIT) return undefined
  const free: number[] = []
  for (let i = 0; i < size; i++) if (!used.has(pointKey(space, pointAt(space, i)))) free.push(i)
  return free.length === 0 ? undefined : pointAt(space, free[rng.int(free.length)])
}
