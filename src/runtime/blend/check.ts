/**
 * Checking what a fitted blend is given: the members' prediction arrays, one per member, all of
 * the same rows and width. Every blend reports bad shapes the same way: what is wrong and which
 * member.
 */
import { DataError } from '../../errors.js'

/**
 * Checks that there is at least one member and every member has `width` columns per row for the
 * same number of rows; returns that number of rows. With `nMembers`, the count must match too.
 * @example const n = checkPredictions([a, b], 1, 2)
 */
export function checkPredictions(preds: readonly Float64Array[], width: number, nMembers?: number): number {
  if (preds.length === 0) throw new DataError('a blend needs at least one member', { field: 'members' })
  if (nMembers !== undefined && preds.length !== nMembers) {
    throw new DataError(`the blend was fitted on ${nMembers} members, got ${preds.length}`, { field: 'members' })
  }
  const len = preds[0].length
  if (len % width !== 0) throw new DataError(`member 0 has ${len} values, not a multiple of ${width} outputs per row`, { field: 'members[0]' })
  for (let m = 1; m < preds.length; m++) {
    if (preds[m].length !== len) {
      throw new DataError(`member ${m} has ${preds[m].length} values, member 0 has ${len}`, { field: `members[${m}]` })
    }
  }
  return len / width
}
