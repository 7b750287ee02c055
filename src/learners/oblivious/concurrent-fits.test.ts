/**
 * Fits that run at the same time in one thread (async fits interleave at their abort points, as
 * two tuning trials of one process do) each hold their own worker threads, so each gives exactly
 * the model it gives alone; gbdt's and oblivious's threads too.
 */
import { describe, expect, it } from 'vitest'
import { makeFrame, numericColumn } from '../../data/frame.js'
import { Rng } from '../../rng.js'
import { getLearner, parseLearnerParams } from '../index.js'
import { prepareTrainingData } from '../training-data.js'
import type { TrainingData } from '../types.js'
import { PART_ROWS } from './parts.js'

interface Problem {
  readonly data: TrainingData
  readonly y: Float64Array
}

/** Rows enough for three parts per histogram pass, so worker threads take parts. */
function problem(seed: number, n = 3 * PART_ROWS): Problem {
  const rng = new Rng(seed)
  const x = Float64Array.from({ length: n }, () => rng.normal())
  const z = Float64Array.from({ length: n }, () => rng.normal())
  const y = Float64Array.from({ length: n }, (_, i) => Math.sin(x[i]) + z[i] * x[i] + 0.1 * rng.normal())
  return { data: prepareTrainingData(makeFrame([numericColumn('x', x), numericColumn('z', z)])), y }
}

const PARAMS = {
  oblivious: { iterations: 4, depth: 4 },
  gbdt: { num_round: 4, max_depth: 5, subsample: 0.8 },
}

function fit(kind: 'gbdt' | 'oblivious', p: Problem, seed: number, threads: number) {
  const spec = getLearner(kind)
  const params = parseLearnerParams(spec, PARAMS[kind])
  return spec.fit(p.data, p.y, params, { task: 'regression', nClasses: 1, seed, threads }).then((m) => m.toState())
}

describe('oblivious fits at the same time in one thread', () => {
  it('give each the model it gives alone, with two threads each', async () => {
    const a = problem(1)
    const b = problem(2)
    const [togetherA, togetherB] = await Promise.all([fit('oblivious', a, 1, 2), fit('oblivious', b, 2, 2)])
    expect(togetherA).toEqual(await fit('oblivious', a, 1, 2))
    expect(togetherB).toEqual(await fit('oblivious', b, 2, 2))
  }, 20_000)

  // A pool shared by these fits deadlocks rather than fails: the test timeout cannot end a
  // blocked Atomics.wait, so run this file under a timeout when changing the pools.
  it('give each the model it gives alone, with different thread counts', async () => {
    const a = problem(3)
    const b = problem(4)
    const [togetherA, togetherB] = await Promise.all([fit('oblivious', a, 3, 2), fit('oblivious', b, 4, 3)])
    expect(togetherA).toEqual(await fit('oblivious', a, 3, 2))
    expect(togetherB).toEqual(await fit('oblivious', b, 4, 3))
  }, 20_000)

  it('and a gbdt fit beside an oblivious fit give the models they give alone', async () => {
    const a = problem(5)
    const b = problem(6)
    const [gbdt, oblivious] = await Promise.all([fit('gbdt', a, 5, 2), fit('oblivious', b, 6, 2)])
    expect(gbdt).toEqual(await fit('gbdt', a, 5, 2))
    expect(oblivious).toEqual(await fit('oblivious', b, 6, 2))
  }, 20_000)
})
