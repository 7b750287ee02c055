import { describe, expect, it } from 'vitest'
import { Rng } from '../../rng.js'
import { createSpace, pointAt, pointKey } from '../space.js'
import { trialView } from '../testing/trials.js'
import { byNumber, freshUniform, nextTrialNumber, usedKeys } from './fresh.js'

describe('history helpers', () => {
  it('number trials after the largest, sort by number, and collect keys', () => {
    expect(nextTrialNumber([])).toBe(0)
    expect(nextTrialNumber([trialView(4, 'Failed'), trialView(2, 'Completed', [], 1)])).toBe(5)
    expect(byNumber([trialView(2, 'Running'), trialView(0, 'Running')]).map((t) => t.number)).toEqual([0, 2])
    const space = createSpace([{ name: 'x', type: 'integer', min: 0, max: 9, scaling: 'Linear' }])
    expect([...usedKeys(space, [trialView(0, 'Failed'), trialView(3, 'Running')])]).toEqual(['[0]', '[3]'])
  })
})

describe('freshUniform', () => {
  it('finds the last untried points of a discrete space, then none', () => {
    const space = createSpace([
      { name: 'a', type: 'integer', min: 0, max: 9, scaling: 'Linear' },
      { name: 'b', type: 'integer', min: 0, max: 9, scaling: 'Linear' },
    ])
    const used = new Set<string>()
    for (let i = 0; i < 100; i++) if (i !== 37 && i !== 73) used.add(pointKey(space, pointAt(space, i)))
    const rng = new Rng(1)
    const found = new Set<string>()
    for (let k = 0; k < 20; k++) found.add(pointKey(space, freshUniform(space, used, rng)!))
    expect([...found].sort()).toEqual(['[3,7]', '[7,3]'])
    used.add('[3,7]')
    used.add('[7,3]')
    expect(freshUniform(space, used, rng)).toBeUndefined()
  })
})
