import { describe, expect, it } from 'vitest'
import { kFold, stratifiedKFold } from '../data/splits.js'
import { getLearner, parseLearnerParams } from '../learners/index.js'
import { syntheticFrame } from '../learners/testing/conformance.js'
import { prepareTrainingData } from '../learners/training-data.js'
import { ConsortError, DataError } from '../errors.js'
import { MemberCache } from './member-cache.js'
import { outOfFold, type MemberPlan } from './oof.js'

const member = (name: string, kind: string, params: Record<string, unknown>): MemberPlan => {
  const learner = getLearner(kind)
  return { name, learner, params: parseLearnerParams(learner, params) }
}

describe('outOfFold', () => {
  it('predicts every row with the fold model that did not see it, for every member', async () => {
    const { frame, y } = syntheticFrame(200, 'regression')
    const data = prepareTrainingData(frame)
    const folds = kFold(200, 4, 1)
    const members = [member('xgb', 'gbdt', { num_round: 20, max_depth: 3 }), member('lin', 'linear', {})]
    const result = await outOfFold(data, y, folds, members, { task: 'regression', nClasses: 1, metrics: ['rmse', 'r2'], final: 'bag' })
    expect(result.map((r) => r.name)).toEqual(['xgb', 'lin'])
    for (const r of result) {
      expect(r.models).toHaveLength(4)
      expect(r.foldScores).toHaveLength(4)
      // The OOF prediction of a held-out row equals its fold model's prediction.
      const f = folds[2]
      const pred = r.models[2].predict(frame)
      for (const row of f.test) expect(r.oof[row]).toBe(pred[row])
      expect(r.pooled.rmse).toBeGreaterThan(0)
      expect(r.final!.kind).toBe('bag')
    }
  })

  it('runs the fits on worker threads with the same results, refits on all rows, and keeps fold models only when asked', async () => {
    const { frame, y } = syntheticFrame(300, 'binary')
    const data = prepareTrainingData(frame)
    const folds = stratifiedKFold(y, 3, 2)
    const members = [member('xgb', 'gbdt', { num_round: 15 }), member('cat', 'oblivious', { iterations: 15 }), member('lin', 'linear', {})]
    const options = { task: 'binary' as const, nClasses: 2, metrics: ['logloss'], final: 'refit' as const, seed: 3 }
    const fits: string[] = []
    const serial = await outOfFold(data, y, folds, members, { ...options, threads: 1 })
    const parallel = await outOfFold(data, y, folds, members, { ...options, workers: 3, onFit: (e) => fits.push(`${e.member}:${e.fold}`) })
    expect(fits).toHaveLength(12)
    expect(fits.filter((f) => f.endsWith(':null')).sort()).toEqual(['cat:null', 'lin:null', 'xgb:null'])
    for (const [i, p] of parallel.entries()) {
      expect(p.oof).toEqual(serial[i].oof)
      expect(p.pooled).toEqual(serial[i].pooled)
      expect(p.models).toHaveLength(0)
      expect(p.final!.toState()).toEqual(serial[i].final!.toState())
    }
  })

  it('fails the whole run with the error a fit raised, in this thread or a worker, keeping its class and message', async () => {
    const { frame, y } = syntheticFrame(120, 'regression')
    const data = prepareTrainingData(frame)
    // Poisson regression refuses negative targets when it starts to fit.
    const plans = [member('lin', 'linear', {}), member('xgb', 'gbdt', { objective: 'count:poisson', num_round: 5 })]
    const run = outOfFold(data, y, kFold(120, 3, 0), plans, { task: 'regression', nClasses: 1, metrics: ['rmse'], workers: 2 })
    await expect(run).rejects.toBeInstanceOf(DataError)
    await expect(run).rejects.toThrow(/count:poisson needs targets >= 0, row \d+/)
  })

  it('stops when its signal aborts, in this thread and on workers', async () => {
    const { frame, y } = syntheticFrame(400, 'regression')
    const data = prepareTrainingData(frame)
    const plans = [member('xgb', 'gbdt', { num_round: 200 })]
    for (const workers of [1, 2]) {
      const controller = new AbortController()
      // Abort once the first fit is done: the fits still queued must not run.
      const onFit = () => controller.abort(new Error('stopped by the user'))
      const run = outOfFold(data, y, kFold(400, 6, 0), plans, { task: 'regression', nClasses: 1, metrics: ['rmse'], workers, signal: controller.signal, onFit })
      await expect(run).rejects.toThrow('stopped by the user')
    }
  })

  it('stops early on each fold\'s held-out rows, and refits the mean of the folds\' rounds, on threads or not', async () => {
    const { frame, y } = syntheticFrame(400, 'regression')
    const data = prepareTrainingData(frame)
    const folds = kFold(400, 4, 1)
    const members = [member('xgb', 'gbdt', { num_round: 400, eta: 0.5, early_stopping_rounds: 5 }), member('cat', 'oblivious', { iterations: 400, learning_rate: 0.5, od_wait: 5 })]
    const options = { task: 'regression' as const, nClasses: 1, metrics: ['rmse'], final: 'refit' as const, seed: 3 }
    const serial = await outOfFold(data, y, folds, members, { ...options, threads: 1 })
    const parallel = await outOfFold(data, y, folds, members, { ...options, workers: 2 })
    const plain = await outOfFold(data, y, folds, [member('xgb', 'gbdt', { num_round: 400, eta: 0.5 })], { ...options, threads: 1 })
    for (const [i, s] of serial.entries()) {
      expect(parallel[i].oof).toEqual(s.oof)
      expect(parallel[i].final!.toState()).toEqual(s.final!.toState())
    }
    // Stopping changed the fold models' predictions, and the refit kept far fewer than 400 rounds.
    expect(serial[0].oof).not.toEqual(plain[0].oof)
    const rounds = (serial[0].final!.toState() as unknown as { params: { num_round: number } }).params.num_round
    expect(rounds).toBeLessThan(400)
    expect(rounds).toBeGreaterThan(1)
    const iterations = (serial[1].final!.toState() as unknown as { params: { iterations: number } }).params.iterations
    expect(iterations).toBeLessThan(400)
  })

  it('takes members from the cache when data, folds and params match, and reports folds in order', async () => {
    const { frame, y } = syntheticFrame(200, 'regression')
    const data = prepareTrainingData(frame)
    const folds = kFold(200, 4, 1)
    const cache = new MemberCache()
    const options = { task: 'regression' as const, nClasses: 1, metrics: ['rmse'], final: 'refit' as const, cache: { store: cache, scope: 'data-1' } }
    const xgb = member('xgb', 'gbdt', { num_round: 10 })
    const first = await outOfFold(data, y, folds, [xgb, member('lin', 'linear', {})], options)
    expect(first.map((r) => r.fits)).toEqual([5, 5])
    const reported: number[] = []
    const fits: string[] = []
    // Same gbdt under another name, a new linear: only the linear member trains.
    const second = await outOfFold(data, y, folds, [member('boost', 'gbdt', { num_round: 10 }), member('lin', 'linear', { alpha: 3 })], {
      ...options,
      onFit: (e) => fits.push(e.member),
      onFold: (fold, predictions) => {
        reported.push(fold)
        expect(predictions).toHaveLength(2)
        expect(predictions[0]).toEqual(Float64Array.from(folds[fold].test, (r) => first[0].oof[r]))
      },
    })
    expect(reported).toEqual([0, 1, 2, 3])
    expect(new Set(fits)).toEqual(new Set(['lin']))
    expect(second[0].name).toBe('boost')
    expect(second[0].oof).toEqual(first[0].oof)
    expect(second[0].fits).toBe(0)
    expect([cache.hits, cache.misses]).toEqual([1, 3])
    // Another scope (other data or folds) shares nothing.
    await outOfFold(data, y, folds, [xgb], { ...options, cache: { store: cache, scope: 'data-2' } })
    expect(cache.misses).toBe(4)
  })

  it('keeps class probabilities for classifiers', async () => {
    const { frame, y } = syntheticFrame(240, 'multiclass')
    const data = prepareTrainingData(frame)
    const folds = stratifiedKFold(y, 3, 0)
    const [r] = await outOfFold(data, y, folds, [member('rf', 'random_forest', { n_estimators: 5 })], { task: 'multiclass', nClasses: 3, metrics: ['accuracy', 'mlogloss'] })
    expect(r.nOutputs).toBe(3)
    for (let i = 0; i < 240; i++) expect(r.oof[3 * i] + r.oof[3 * i + 1] + r.oof[3 * i + 2]).toBeCloseTo(1, 9)
    expect(r.pooled.accuracy).toBeGreaterThan(0.5)
  })

  it('refuses folds that do not hold every row out exactly once', async () => {
    const { frame, y } = syntheticFrame(50, 'regression')
    const data = prepareTrainingData(frame)
    const folds = kFold(50, 5, 0)
    const plan = [member('lin', 'linear', {})]
    const opts = { task: 'regression' as const, nClasses: 1, metrics: ['rmse'] }
    await expect(outOfFold(data, y, folds.slice(1), plan, opts)).rejects.toBeInstanceOf(ConsortError)
    await expect(outOfFold(data, y, [...folds, folds[0]], plan, opts)).rejects.toBeInstanceOf(ConsortError)
    await expect(outOfFold(data, y, folds, [], opts)).rejects.toBeInstanceOf(ConsortError)
  })
})
