/**
 * Fits that run at the same time in one thread (async fits interleave at their abort points, as
 * two tuning trials of one process do) each hold their own worker threads, so each gives exactly
 * the model it gives alone.
 */
import { describe, expect, it } from 'vitest'
import { makeFrame, numericColumn } from '../../data/frame.js'
import { Rng } from '../../rng.js'
import { getLearner, parseLearnerParams } from '../index.js'
import { prepareTrainingData } from '../training-data.js'
import type { FitContext, TrainingData } from '../types.js'

/** Rows enough that nodes are cut into several parts shared with worker threads. */
function problem(seed: number, n = 60_000): { data: TrainingData; y: Float64Array } {
  const rng = new Rng(seed)
  const cols = Array.from({ length: 5 }, () => Float64Array.from({ length: n }, () => rng.normal()))
  const y = Float64Array.from({ length: n }, (_, i) => 2 * cols[0][i] + Math.sin(3 * cols[1][i]) + cols[2][i] * cols[3][i] + 0.3 * rng.normal())
  return { data: prepareTrainingData(makeFrame(cols.map((v, f) => numericColumn(`x${f}`, v)))), y }
}

function fit(p: { data: TrainingData; y: Float64Array }, seed: number, threads: number, more: Partial<FitContext> = {}) {
  const gbdt = getLearner('gbdt')
  const params = parseLearnerParams(gbdt, { num_round: 12, max_depth: 5, subsample: 0.8, colsample_bynode: 0.8 })
  return gbdt.fit(p.data, p.y, params, { task: 'regression', nClasses: 1, seed, threads, ...more }).then((m) => m.toState())
}

describe('gbdt fits at the same time in one thread', () => {
  it('give each the model it gives alone, with two threads each', async () => {
    const a = problem(1)
    const b = problem(2)
    const [togetherA, togetherB] = await Promise.all([fit(a, 1, 2), fit(b, 2, 2)])
    expect(togetherA).toEqual(await fit(a, 1, 2))
    expect(togetherB).toEqual(await fit(b, 2, 2))
  }, 20_000)

  // A pool shared by these fits deadlocks rather than fails: the test timeout cannot end a
  // blocked Atomics.wait, so run this file under a timeout when changing the pools.
  it('give each the model it gives alone, with different thread counts', async () => {
    const a = problem(3)
    const b = problem(4)
    const [togetherA, togetherB] = await Promise.all([fit(a, 3, 2), fit(b, 4, 3)])
    expect(togetherA).toEqual(await fit(a, 3, 2))
    expect(togetherB).toEqual(await fit(b, 4, 3))
  }, 20_000)

  it('give the model it gives alone beside a fit that is aborted, and after it', async () => {
    const a = problem(5)
    const b = problem(6)
    const aloneA = await fit(a, 5, 2)
    const controller = new AbortController()
    const stopAt = (round: number) => (round === 3 ? controller.abort(new Error('stop')) : undefined)
    const aborted = () => fit(a, 5, 2, { signal: controller.signal, onProgress: stopAt })
    // b starts first, so the aborted fit is the last to hand data to worker threads.
    const [together] = await Promise.all([fit(b, 6, 2), expect(aborted()).rejects.toThrow('stop')])
    expect(together).toEqual(await fit(b, 6, 2))
    expect(await fit(a, 5, 2)).toEqual(aloneA)
  }, 20_000)
})
