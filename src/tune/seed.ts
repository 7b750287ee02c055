/**
 * Seeds derived from a study's seed and a position (a trial number, an ask's history length), so a
 * strategy's proposals are a pure function of its seed and the history it is shown: a study that
 * resumes, or one whose trials are asked for one at a time or in batches, proposes the same points.
 */

/**
 * A 32-bit seed mixing `seed` with `parts` (a splitmix32-style finaliser per part), well spread
 * even for neighbouring inputs.
 * @example
 * new Rng(mixSeed(42, 7)) // the generator of trial 7 of a study seeded with 42
 */
export function mixSeed(seed: number, ...parts: number[]): number {
  let h = (seed >>> 0) ^ 0x6a09e667
  for (const p of [...parts, parts.length]) {
    h = (h + Math.imul((p >>> 0) ^ Math.floor(p / 4294967296), 0x9e3779b1) + 0x7f4a7c15) | 0
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
    h ^= h >>> 16
  }
  return h >>> 0
}
