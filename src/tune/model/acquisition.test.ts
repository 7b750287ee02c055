import { describe, expect, it } from 'vitest'
import { Rng } from '../../rng.js'
import { createSpace, encode, pointKey } from '../space.js'
import { maximizeLogEi } from './acquisition.js'
import { featureMap } from './features.js'
import { GaussianProcess } from './gp.js'

describe('maximizeLogEi', () => {
  const space = createSpace([
    { name: 'x', type: 'continuous', min: 0, max: 1, scaling: 'Linear' },
    { name: 'c', type: 'categorical', values: ['a', 'b'] },
  ])
  const features = featureMap(space)
  const f = (x: number, c: string): number => (x - 0.62) ** 2 + (c === 'a' ? 0.5 : 0)
  const points = [0.05, 0.3, 0.5, 0.8, 0.95].flatMap((x) => [{ x, c: 'a' }, { x, c: 'b' }])
  const xs = new Float64Array(points.length * features.width)
  points.forEach((p, i) => features.write(encode(space, p), xs, i * features.width))
  const ys = points.map((p) => f(p.x, p.c))
  const gp = GaussianProcess.fit(xs, ys, features.width, new Rng(1))
  const anchors = [encode(space, { x: 0.5, c: 'b' })]

  it('proposes a point near the modelled minimum, in the better category', () => {
    const choice = maximizeLogEi({ space, features, gp, best: Math.min(...ys), anchors, used: new Set(), rng: new Rng(2) })!
    expect(choice.params.c).toBe('b')
    expect(Math.abs((choice.params.x as number) - 0.62)).toBeLessThan(0.1)
    expect(Number.isFinite(choice.logEi)).toBe(true)
  })

  it('skips used points and is deterministic for a seed', () => {
    const problem = { space, features, gp, best: Math.min(...ys), anchors, rng: new Rng(3) }
    const a = maximizeLogEi({ ...problem, used: new Set() })!
    const b = maximizeLogEi({ ...problem, rng: new Rng(3), used: new Set() })!
    expect(b).toEqual(a)
    const c = maximizeLogEi({ ...problem, rng: new Rng(3), used: new Set([a.key]) })!
    expect(c.key).not.toBe(a.key)
    expect(c.key).toBe(pointKey(space, c.params))
  })

  it('returns nothing when every point is used', () => {
    const tiny = createSpace([{ name: 'c', type: 'categorical', values: ['a', 'b'] }])
    const map = featureMap(tiny)
    const x = Float64Array.of(1, 0, 0, 1)
    const model = GaussianProcess.fit(x, [1, 2], map.width, new Rng(1))
    const used = new Set(['["a"]', '["b"]'])
    expect(maximizeLogEi({ space: tiny, features: map, gp: model, best: 1, anchors: [], used, rng: new Rng(1) })).toBeUndefined()
  })
})
