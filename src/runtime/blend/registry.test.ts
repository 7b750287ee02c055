import { describe, expect, it } from 'vitest'
import { BundleError } from '../../errors.js'
import { LinearModel } from '../models/linear.js'
import { MeanBlend } from './mean.js'
import { blenderFromState } from './registry.js'
import { StackBlend } from './stack.js'
import type { BlendState } from './types.js'
import { VoteBlend } from './vote.js'
import { WeightedBlend } from './weighted.js'

const meta = new LinearModel(
  'regression',
  [
    { name: 'member0', type: 'numeric', mean: 0, scale: 1 },
    { name: 'member1', type: 'numeric', mean: 0, scale: 1 },
  ],
  Float64Array.of(0.25, 0.75),
  Float64Array.of(0),
  {},
  { solver: 'cholesky', nIter: 1, gradNorm: 0, converged: true },
)
const blends = [new MeanBlend('regression', 2, 1), new WeightedBlend('regression', 1, 'nnls', [0.4, 0.6]), new StackBlend('regression', 2, 1, [], meta), new VoteBlend('binary', 2, 2, 'hard')]
const preds = [Float64Array.of(0.2, 0.9), Float64Array.of(0.6, 0.7)]

function refusal(state: unknown): BundleError {
  try {
    blenderFromState(state as BlendState)
  } catch (e) {
    expect(e).toBeInstanceOf(BundleError)
    return e as BundleError
  }
  throw new Error('expected a BundleError')
}

describe('blend registry', () => {
  it('rebuilds every built-in blend from its state, blending the same', () => {
    for (const blend of blends) {
      const back = blenderFromState(structuredClone(blend.toState()))
      expect(back.toState()).toEqual(blend.toState())
      expect(Array.from(back.blend(preds))).toEqual(Array.from(blend.blend(preds)))
    }
  })

  it('refuses newer, corrupt and unknown blend states with a BundleError', () => {
    expect(refusal({ ...blends[0].toState(), version: 9 }).code).toBe('unsupported_bundle_version')
    const cases: [unknown, RegExp][] = [
      [{ ...blends[0].toState(), nMembers: 0 }, /'nMembers' must be a positive integer/],
      [{ ...blends[1].toState(), weights: ['a'] }, /'weights' must be a list of numbers/],
      [{ ...blends[1].toState(), method: 'lasso' }, /'method' must be one of nnls, caruana/],
      [{ ...blends[2].toState(), meta: { ...meta.toState(), task: 'binary', link: 'sigmoid' } }, /meta-model predicts/],
      [{ ...blends[3].toState(), task: 'regression' }, /a vote is for classification/],
      [{ kind: 'meen', version: 1 }, /unknown blend kind 'meen'; did you mean 'mean'\?/],
    ]
    for (const [state, pattern] of cases) {
      const e = refusal(state)
      expect(e.message).toMatch(pattern)
      expect(e.code).toBe('invalid_bundle')
    }
  })
})
