import { describe, expect, it } from 'vitest'
import { makeFrame, numericColumn } from '../../data/frame.js'
import { BundleError } from '../../errors.js'
import { encodeTreeEnsemble } from '../codec.js'
import { buildEnsemble } from '../testing/ensembles.js'
import { BaggedModel } from './bagged.js'
import { GbdtModel } from './gbdt.js'
import { LinearModel } from './linear.js'
import { modelFromState, modelKinds, registerModelKind } from './registry.js'
import type { ModelState } from './types.js'

const ensemble = buildEnsemble(1, [0.5], [{ output: 0, tree: { feature: 0, threshold: 1, defaultLeft: true, left: { leaf: -1 }, right: { leaf: 2 } } }])
const gbdt = new GbdtModel(ensemble, ['x'], 'reg:squarederror', 'identity', { eta: 0.3 }, 0, [1], [2.5])
const linear = new LinearModel('regression', [{ name: 'x', type: 'numeric', mean: 1, scale: 2 }], Float64Array.of(3), Float64Array.of(1), {}, { solver: 'cholesky', nIter: 1, gradNorm: 0, converged: true })
const frame = makeFrame([numericColumn('x', Float64Array.of(0, 2, NaN))])

function refusal(state: unknown): BundleError {
  try {
    modelFromState(state as ModelState)
  } catch (e) {
    expect(e).toBeInstanceOf(BundleError)
    return e as BundleError
  }
  throw new Error('expected a BundleError')
}

describe('model registry', () => {
  it('rebuilds every built-in kind, bags of fold models included, predicting the same', () => {
    expect(modelKinds()).toEqual(expect.arrayContaining(['gbdt', 'oblivious', 'random_forest', 'extra_trees', 'linear', 'bag']))
    for (const model of [gbdt, linear, new BaggedModel([gbdt, gbdt])]) {
      expect(Array.from(modelFromState(structuredClone(model.toState())).predict(frame))).toEqual(Array.from(model.predict(frame)))
    }
  })

  it('names a newer state version as unsupported, and a corrupt state as invalid, with the field', () => {
    const newer = refusal({ ...gbdt.toState(), version: 2 })
    expect([newer.code, newer.location.field]).toEqual(['unsupported_bundle_version', 'version'])
    expect(newer.message).toMatch(/gbdt state version 2 is newer than this version of consort reads \(1\)/)
    const cases: [unknown, RegExp][] = [
      [{ ...gbdt.toState(), trees: 'AAAA' }, /gbdt state: 'trees' must be a Uint8Array/],
      [{ ...gbdt.toState(), featureNames: [1] }, /'featureNames' must be a list of strings/],
      [{ ...gbdt.toState(), link: 'tanh' }, /'link' must be one of/],
      [{ ...gbdt.toState(), trees: encodeTreeEnsemble(ensemble).subarray(3) }, /tree ensemble/],
      [{ ...linear.toState(), coef: Float64Array.of(1, 2) }, /coefficients do not match the inputs/],
      [{ ...linear.toState(), inputs: [{ name: 'x', type: 'numeric' }] }, /input 0 lacks its mean or scale/],
      [{ kind: 'bag', version: 1, models: [] }, /a bag needs at least one model/],
      [{ kind: 'bag', version: 1, models: [gbdt.toState(), { ...linear.toState(), task: 'binary', link: 'sigmoid' }] }, /disagree/],
      [null, /needs a kind/],
    ]
    for (const [state, pattern] of cases) {
      const e = refusal(state)
      expect(e.message).toMatch(pattern)
      expect(e.code).toBe('invalid_bundle')
    }
  })

  it('refuses an unknown kind with the closest known one, and learns kinds registered in code', () => {
    expect(refusal({ kind: 'gbtd', version: 1 }).message).toMatch(/unknown model kind 'gbtd'; did you mean 'gbdt'\?/)
    registerModelKind('constant-test', () => gbdt)
    expect(modelFromState({ kind: 'constant-test', version: 1 })).toBe(gbdt)
    expect(() => registerModelKind('gbdt', () => gbdt)).toThrow(/already registered/)
  })
})
