import { describe, expect, it } from 'vitest'
import { ParamError } from '../../errors.js'
import { checkRangesBind } from './apply.js'
import type { TuningSpec } from './spec.js'

describe('tuning ranges on an imported member', () => {
  const tuning = (name: string): TuningSpec =>
    ({
      training: {
        name: 't',
        target: 'target',
        channels: { train: 'train.csv' },
        members: { gb: { learner: 'gbdt' }, xgb: { learner: 'import', path: 'xgb.json' } },
      },
      trainingBaseDir: '/specs',
      ranges: [{ name, type: 'continuous', min: 0.1, max: 0.3, scaling: 'Auto' }],
    }) as unknown as TuningSpec

  it('are refused: the member is not trained', () => {
    expect(() => checkRangesBind(tuning('members.xgb.params.eta'))).toThrow(ParamError)
    expect(() => checkRangesBind(tuning('members.xgb.params.eta'))).toThrow(/member 'xgb' is imported .* no parameters to tune/)
    expect(() => checkRangesBind(tuning('members.gb.params.eta'))).not.toThrow()
  })
})
