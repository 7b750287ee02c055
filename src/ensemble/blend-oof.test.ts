import { describe, expect, it } from 'vitest'
import { kFold } from '../data/splits.js'
import { getMetric } from '../metrics/registry.js'
import { Rng } from '../rng.js'
import { crossFitBlend } from './blend-oof.js'
import { getBlender } from './blenders/index.js'

/** A target and members of which none is informative: pure noise around the target's mean. */
function noise(n: number, members: number, seed: number): { y: Float64Array; oofs: Float64Array[] } {
  const rng = new Rng(seed)
  const y = Float64Array.from({ length: n }, () => rng.normal())
  const oofs = Array.from({ length: members }, () => Float64Array.from({ length: n }, () => rng.normal()))
  return { y, oofs }
}

describe('crossFitBlend', () => {
  const ctx = { task: 'regression' as const, nClasses: 1 }

  it('blends each fold with a blender fitted on the other folds only', async () => {
    const { y, oofs } = noise(60, 3, 1)
    const folds = kFold(60, 3, 0)
    const blender = getBlender('stack')
    const honest = await crossFitBlend(blender, oofs, y, folds, 1, ctx)
    const f = folds[1]
    const pick = (a: Float64Array, rows: Int32Array) => Float64Array.from(rows, (r) => a[r])
    const alone = await blender.fit(oofs.map((o) => pick(o, f.train)), pick(y, f.train), ctx)
    const expected = alone.blend(oofs.map((o) => pick(o, f.test)))
    f.test.forEach((row, i) => expect(honest[row]).toBe(expected[i]))
  })

  it('equals the plain blend for a blender that learns nothing (mean)', async () => {
    const { y, oofs } = noise(50, 2, 2)
    const honest = await crossFitBlend(getBlender('mean'), oofs, y, kFold(50, 5, 0), 1, ctx)
    const plain = (await getBlender('mean').fit(oofs, y, ctx)).blend(oofs)
    for (let i = 0; i < 50; i++) expect(honest[i]).toBeCloseTo(plain[i], 12)
  })

  it('does not flatter a learned blend: on noise members, the in-sample score is better than the honest one', async () => {
    const { y, oofs } = noise(80, 8, 3)
    const rmse = getMetric('rmse')
    const blender = getBlender('stack')
    const inSample = rmse.compute(y, (await blender.fit(oofs, y, ctx)).blend(oofs), 1)
    const honest = rmse.compute(y, await crossFitBlend(blender, oofs, y, kFold(80, 5, 0), 1, ctx), 1)
    expect(honest).toBeGreaterThan(inSample)
  })
})
