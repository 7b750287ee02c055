import { describe, expect, it } from 'vitest'
import { paramImportance } from './param-importance.js'

describe('paramImportance', () => {
  it('gives the whole share to the parameter that alone decides the objective', () => {
    const trials = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => ({ params: { depth: i % 2, noise: [5, 1, 7, 3, 2, 8, 4, 6][i] }, value: i % 2 === 0 ? 10 : 20 }))
    const imp = paramImportance(trials)
    expect(imp[0]).toEqual({ param: 'depth', share: expect.closeTo(1, 1) as number })
    expect(imp.reduce((s, r) => s + r.share, 0)).toBeCloseTo(1, 12)
  })

  it('computes eta squared by hand for a categorical parameter', () => {
    // Groups a: [1, 3] (mean 2), b: [5] ; grand mean 3; between = 2*(2-3)^2 + 1*(5-3)^2 = 6; total = 4+0+4 = 8.
    const imp = paramImportance([
      { params: { kind: 'a', x: 1 }, value: 1 },
      { params: { kind: 'a', x: 2 }, value: 3 },
      { params: { kind: 'b', x: 3 }, value: 5 },
    ])
    // x has 3 distinct values, so each is its own group and explains everything (ratio 1): shares 6/8 : 1.
    const kind = imp.find((r) => r.param === 'kind')!.share
    const x = imp.find((r) => r.param === 'x')!.share
    expect(kind / x).toBeCloseTo(0.75, 12)
  })

  it('is empty with fewer than two finite objectives, and zero when the objective never changes', () => {
    expect(paramImportance([{ params: { a: 1 }, value: 1 }, { params: { a: 2 }, value: NaN }])).toEqual([])
    expect(paramImportance([{ params: { a: 1 }, value: 2 }, { params: { a: 2 }, value: 2 }])).toEqual([{ param: 'a', share: 0 }])
  })
})
