import { afterAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { arbEnsemble } from '../runtime/testing/ensembles.js'
import { predictMargins } from '../runtime/tree-ensemble.js'
import { predictFrameMargins } from '../runtime/predict-frame.js'
import { type Column, makeFrame } from '../data/frame.js'
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

  it('predicts a frame from its columns (shared or not, numeric and categorical) exactly as the one-thread predictor does', async () => {
    const rng = new Rng(7)
    const model = fc.sample(arbEnsemble(), { seed: 7, numRuns: 1 })[0]
    const n = 30_001
    const columns: Column[] = Array.from({ length: model.nFeatures }, (_, f): Column => {
      if (f % 3 === 1) {
        // Codes in a SharedArrayBuffer, as the reader leaves large columns; -1 is missing.
        const codes = new Int32Array(new SharedArrayBuffer(4 * n)).map(() => (rng.next() < 0.1 ? -1 : rng.int(5)))
        return { name: `f${f}`, type: 'categorical', codes, categories: ['a', 'b', 'c', 'd', 'e'] }
      }
      // A plain (not shared) column: the pool shares a copy.
      return { name: `f${f}`, type: 'numeric', values: new Float64Array(n).map(() => (rng.next() < 0.05 ? NaN : rng.normal())) }
    })
    // Frame columns in another order than the model's: matched by name.
    const frame = makeFrame([...columns].reverse())
    const names = columns.map((c) => c.name)
    expect(await pool.predictFrameMargins(model, names, frame)).toEqual(predictFrameMargins(model, names, frame))
  })
})
