import { describe, expect, it } from 'vitest'
import { ParamError } from '../../errors.js'
import { getBlender } from './index.js'
import type { StackState } from '../../runtime/blend/stack.js'
import type { WeightedState } from '../../runtime/blend/weighted.js'

describe('weighted', () => {
  it('nnls recovers exact non-negative weights and zeroes a harmful member', async () => {
    const a = Float64Array.of(1, 2, 3, 4, 5)
    const b = Float64Array.of(2, 0, 1, 3, 1)
    const c = Float64Array.of(-1, -2, -3, -4, -6)
    // y = 0.3 a + 0.7 b exactly, so the residual is 0 at weights [0.3, 0.7, 0], the NNLS optimum.
    const y = a.map((v, i) => 0.3 * v + 0.7 * b[i])
    const model = await getBlender('weighted').fit([a, b, c], y, { task: 'regression', nClasses: 1 })
    const w = (model.toState() as WeightedState).weights
    expect(w[0]).toBeCloseTo(0.3, 10)
    expect(w[1]).toBeCloseTo(0.7, 10)
    expect(w[2]).toBe(0)
  })

  it('nnls weights of classifiers sum to 1', async () => {
    const y = Float64Array.of(0, 1, 1, 0)
    const model = await getBlender('weighted').fit([Float64Array.of(0.2, 0.7, 0.9, 0.4), Float64Array.of(0.4, 0.6, 0.6, 0.3)], y, { task: 'binary', nClasses: 2 })
    const w = (model.toState() as WeightedState).weights
    expect(w[0] + w[1]).toBeCloseTo(1, 12)
  })

  it('caruana rejects a metric of another task', async () => {
    const blender = getBlender('weighted', { weights: 'caruana' })
    await expect(blender.fit([Float64Array.of(1, 2)], Float64Array.of(1, 2), { task: 'regression', nClasses: 1, metric: 'auc' })).rejects.toThrow(ParamError)
  })
})

describe('stack', () => {
  it('embeds the linear meta-model\'s state and needs the features it passes through', async () => {
    const y = Float64Array.of(1, 2, 3, 4, 5, 6)
    const a = Float64Array.of(1.1, 2.2, 2.9, 4.1, 5.2, 5.8)
    const model = await getBlender('stack').fit([a], y, { task: 'regression', nClasses: 1 })
    expect((model.toState() as StackState).meta.kind).toBe('linear')
    expect((model.toState() as StackState).passthrough).toEqual([])
    await expect(getBlender('stack', { passthrough: true }).fit([a], y, { task: 'regression', nClasses: 1 })).rejects.toThrow(/passthrough needs the raw features/)
  })
})

describe('weighted blend with weights given by member name', () => {
  it('takes the weights in member order, normalised for classification, and reads no predictions', async () => {
    const blender = getBlender('weighted', { weights: { b: 3, a: 1 } })
    const reg = await blender.fit([new Float64Array([1]), new Float64Array([2])], new Float64Array([0]), { task: 'regression', nClasses: 1, members: ['a', 'b'] })
    expect(reg.toState() as WeightedState).toMatchObject({ weights: [1, 3], method: 'given' })
    const bin = await blender.fit([new Float64Array([0.2]), new Float64Array([0.6])], new Float64Array([1]), { task: 'binary', nClasses: 2, members: ['a', 'b'] })
    expect(bin.blend([new Float64Array([0.2]), new Float64Array([0.6])])[0]).toBeCloseTo(0.25 * 0.2 + 0.75 * 0.6, 12)
  })

  it('refuses names that are not the members', async () => {
    const blender = getBlender('weighted', { weights: { a: 1, c: 1 } })
    await expect(blender.fit([new Float64Array([1]), new Float64Array([2])], new Float64Array([0]), { task: 'regression', nClasses: 1, members: ['a', 'b'] })).rejects.toThrow(/no member 'c'/)
  })
})
