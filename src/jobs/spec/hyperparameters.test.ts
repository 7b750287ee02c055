import { describe, expect, it } from 'vitest'
import { ParamError } from '../../errors.js'
import { bindHyperparameters } from './hyperparameters.js'
import { parseSpecText } from './parse.js'

const members = {
  xgb: { learner: 'gbdt', params: { num_round: 10 } },
  cat: { learner: 'oblivious', params: { iterations: 10 } },
}

describe('bindHyperparameters', () => {
  it('binds by canonical name and by alias', () => {
    // eta is gbdt's own name and oblivious's alias of learning_rate; max_depth likewise of depth.
    const bound = bindHyperparameters({ members, hyperparameters: { eta: 0.2, max_depth: 4 } })
    expect(bound).toEqual({
      xgb: { num_round: 10, eta: 0.2, max_depth: 4 },
      cat: { iterations: 10, eta: 0.2, max_depth: 4 },
    })
  })

  it("lets a member's own params win, under any alias", () => {
    const bound = bindHyperparameters({
      members: {
        xgb: { learner: 'gbdt', params: { learning_rate: 0.05 } },
        cat: { learner: 'oblivious', params: { learning_rate: 0.1, depth: 3 } },
      },
      hyperparameters: { eta: 0.2, max_depth: 4 },
    })
    expect(bound).toEqual({
      xgb: { learning_rate: 0.05, max_depth: 4 },
      cat: { learning_rate: 0.1, depth: 3 },
    })
  })

  it('binds a name only to the members that know it', () => {
    const bound = bindHyperparameters({ members, hyperparameters: { l2_leaf_reg: 5 } })
    expect(bound.xgb).toEqual({ num_round: 10 })
    expect(bound.cat).toEqual({ iterations: 10, l2_leaf_reg: 5 })
  })

  it('rejects a shared name no member takes, suggesting the closest', () => {
    try {
      bindHyperparameters({ members, hyperparameters: { max_dept: 4 } })
      throw new Error('expected a ParamError')
    } catch (e) {
      expect(e).toBeInstanceOf(ParamError)
      expect((e as ParamError).location.field).toBe('hyperparameters.max_dept')
      expect((e as ParamError).message).toContain("did you mean 'max_depth'?")
    }
  })

  it('never changes the spec', () => {
    const spec = { members: structuredClone(members), hyperparameters: { eta: 0.2 } }
    bindHyperparameters(spec)
    expect(spec.members).toEqual(members)
  })
})

describe('shared hyperparameters in a spec', () => {
  const SPEC = `name: d
target: y
channels: { train: t.csv }
members:
  xgb: { learner: gbdt }
  cat: { learner: oblivious }
hyperparameters:
  eta: 0.3
  max_depth: 5
`

  it('validates the bound values and points at the shared field', () => {
    expect(() => parseSpecText(SPEC)).not.toThrow()
    // 0 is unlimited depth for gbdt but below oblivious's minimum depth of 1.
    try {
      parseSpecText(SPEC.replace('max_depth: 5', 'max_depth: 0'), { file: 'e.yaml' })
      throw new Error('expected a ParamError')
    } catch (e) {
      expect(e).toBeInstanceOf(ParamError)
      expect((e as ParamError).location).toMatchObject({ file: 'e.yaml', line: 9, field: 'hyperparameters.max_depth' })
      expect((e as ParamError).message).toContain("member 'cat'")
    }
  })

  it('reports an unknown shared name with its position', () => {
    try {
      parseSpecText(SPEC.replace('  eta:', '  etta:'), { file: 'e.yaml' })
      throw new Error('expected a ParamError')
    } catch (e) {
      expect((e as ParamError).location).toEqual({ file: 'e.yaml', line: 8, column: 3, field: 'hyperparameters.etta' })
      expect((e as ParamError).message).toContain("did you mean 'eta'?")
    }
  })
})
