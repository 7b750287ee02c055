import { afterAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { arbEnsemble } from '../runtime/testing/ensembles.js'
import { predictMargins } from '../runtime/tree-ensemble.js'
import { Rng } from '../rng.js'
import { PredictPool } from './predict-pool.js'

describe('PredictPool', () => {
  const pool = new PredictPool(2)
  afterAll(() => pool.close())

  it('gives exactly the one-thread margins, splitting large batches across threads', async () => {
    await pool.ready()
    const rng = new Rng(5)
    const model = fc.sample(arbEnsemble(), { seed: 5, numRuns: 1 })[0]
    const n = 40_000
    const x = new Float64Array(n * model.nFeatures).map(() => (rng.next() < 0.05 ? NaN : rng.normal()))
    const serial = predictMargins(model, x, n)
    expect(await pool.predictMargins(model, x, n)).toEqual(serial)
    // Again with the model already known to the workers, and a batch too small to split.
    expect(await pool.predictMargins(model, x, n)).toEqual(serial)
    expect(await pool.predictMargins(model, x.subarray(0, 50), 10)).toEqual(predictMargins(model, x, 10))
  })
})
