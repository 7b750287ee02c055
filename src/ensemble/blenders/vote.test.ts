import { describe, expect, it } from 'vitest'
import { ParamError } from '../../errors.js'
import { getBlender } from './index.js'
import { hardVote } from '../../runtime/blend/vote.js'

describe('vote', () => {
  it('hard binary: majority of p > 0.5, a tie goes to class 0, p = 0.5 votes 0', () => {
    const a = Float64Array.of(0.9, 0.9, 0.5)
    const b = Float64Array.of(0.2, 0.1, 0.5)
    const c = Float64Array.of(0.6, 0.3, 0.7)
    // Row 0: votes 1, 0, 1 -> 1. Row 1: 1, 0, 0 -> 0. Row 2: 0 (0.5 is not > 0.5), 0, 1 -> 0.
    expect(Array.from(hardVote([a, b, c], 2))).toEqual([1, 0, 0])
    // Two members, one vote each: tie -> class 0.
    expect(Array.from(hardVote([Float64Array.of(0.9), Float64Array.of(0.1)], 2))).toEqual([0])
  })

  it('hard multiclass: one-hot of the majority, ties to the lowest class id', () => {
    const a = Float64Array.of(0.1, 0.2, 0.7) // votes 2
    const b = Float64Array.of(0.1, 0.8, 0.1) // votes 1
    const c = Float64Array.of(0.4, 0.4, 0.2) // tie inside a member: first max, votes 0
    // One vote each for 0, 1 and 2: the lowest class id, 0, wins.
    expect(Array.from(hardVote([a, b, c], 3))).toEqual([1, 0, 0])
    expect(Array.from(hardVote([a, b, b], 3))).toEqual([0, 1, 0])
  })

  it('soft: the mean of the probabilities', async () => {
    const y = Float64Array.of(0, 2)
    const model = await getBlender('vote', { voting: 'soft' }).fit([Float64Array.of(1, 0, 0, 0, 0, 1), Float64Array.of(0, 1, 0, 0, 0.5, 0.5)], y, { task: 'multiclass', nClasses: 3 })
    expect(Array.from(model.blend([Float64Array.of(1, 0, 0), Float64Array.of(0, 0.5, 0.5)]))).toEqual([0.5, 0.25, 0.25])
  })

  it('rejects regression and unknown options', async () => {
    await expect(getBlender('vote').fit([Float64Array.of(1)], Float64Array.of(1), { task: 'regression', nClasses: 1 })).rejects.toThrow(ParamError)
    expect(() => getBlender('vote', { voting: 'hrad' })).toThrow(ParamError)
    expect(() => getBlender('vote', { votign: 'hard' })).toThrow(/did you mean 'voting'/)
  })
})
