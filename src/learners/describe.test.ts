import { describe, expect, it } from 'vitest'
import { describeParams } from './describe.js'
import { gbdtLearner } from './gbdt/spec.js'
import { getLearner, learnerKinds } from './index.js'

describe('describeParams', () => {
  it('reads names, aliases, defaults, bounds and help from the schema', () => {
    const docs = describeParams(gbdtLearner)
    const eta = docs.find((p) => p.name === 'eta')!
    expect(eta).toEqual({ name: 'eta', aliases: ['learning_rate'], default: '0.3', values: 'number in (0, 1]', help: 'Learning rate: shrinks each tree' })
    expect(docs.find((p) => p.name === 'max_depth')!.values).toBe('integer in [0, 31]')
    expect(docs.find((p) => p.name === 'grow_policy')!.values).toBe('depthwise, lossguide')
    expect(docs.find((p) => p.name === 'objective')!.default).toBe('')
  })

  it('documents every parameter of every learner with help text', () => {
    for (const kind of learnerKinds()) {
      const spec = getLearner(kind)
      const docs = describeParams(spec)
      expect(docs.map((d) => d.name)).toEqual(Object.keys(spec.params.shape))
      for (const d of docs) expect(d.help, `${kind}.${d.name}`).not.toBe('')
    }
  })
})
