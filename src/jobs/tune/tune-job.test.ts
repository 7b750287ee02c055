import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { ParamError } from '../../errors.js'
import { TrackingStore } from '../../store/tracking/store.js'
import { analyticsTable, toCsv } from './analytics.js'
import { parseTuningSpec } from './spec.js'
import { tune } from './tune-job.js'

const DATA = fileURLToPath(new URL('../../../data/diabetes.csv', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'consort-tune-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The seed ensemble (two boosters, mean), small enough for tests. */
const seedEnsemble = {
  name: 'seed',
  target: 'target',
  channels: { train: DATA },
  cv: { folds: 3, seed: 1 },
  metric: 'rmse',
  members: {
    xgb: { learner: 'gbdt', params: { num_round: 15 } },
    cat: { learner: 'oblivious', params: { iterations: 15 } },
  },
  hyperparameters: { eta: 0.3, max_depth: 3 },
}

function tuningSpec(extra: Record<string, unknown> = {}) {
  return parseTuningSpec(
    {
      name: 'seed-tune',
      estimator: seedEnsemble,
      objective: { metric: 'cv:rmse', type: 'Minimize' },
      ranges: { eta: { type: 'continuous', min: 0.2, max: 0.3 }, max_depth: { type: 'integer', min: 3, max: 4 } },
      strategy: 'Bayesian',
      max_jobs: 4,
      max_parallel_jobs: 2,
      random_seed: 7,
      ...extra,
    },
    { baseDir: dir },
  )
}

describe('tune', () => {
  it('runs the seed story: 4 trials, 2 at a time, each a training job of the tuning job, the best kept', async () => {
    const tracking = join(dir, 'seed')
    const events: string[] = []
    const result = await tune(await tuningSpec(), { tracking, workers: 1, onEvent: (e) => events.push(e.type) })
    expect(result.status).toBe('Completed')
    expect(result.counters).toMatchObject({ Completed: 4, InProgress: 0, Failed: 0, Stopped: 0 })
    expect(result.objectiveCounters).toEqual({ Succeeded: 4, Pending: 0, Failed: 0 })
    const store = TrackingStore.open(tracking)
    const trials = store.listTrials(result.job)
    expect(trials.map((t) => t.number)).toEqual([0, 1, 2, 3])
    for (const t of trials) {
      expect(t.state).toBe('Completed')
      expect(t.params.eta).toBeGreaterThanOrEqual(0.2)
      expect(t.params.eta).toBeLessThanOrEqual(0.3)
      expect([3, 4]).toContain(t.params.max_depth)
      // One intermediate value per fold: the members' mean on the fold's held-out rows.
      expect(t.intermediate.map(([step]) => step)).toEqual([0, 1, 2])
      const record = store.getJob(t.trainingJob!)!
      expect(record).toMatchObject({ kind: 'training', parentId: result.job, status: 'Completed' })
      expect(record.metrics['cv:rmse']).toBe(t.value)
    }
    const best = Math.min(...trials.map((t) => t.value!))
    expect(result.best!.objective).toBe(best)
    // Only the best trial's model is kept.
    const kept = trials.map((t) => store.getJob(t.trainingJob!)!.artifact).filter((a) => a !== null)
    expect(kept).toEqual([result.best!.artifact])
    expect(existsSync(result.best!.artifact!)).toBe(true)
    const tuning = store.getJob(result.job)!
    expect(tuning).toMatchObject({ kind: 'tuning', status: 'Completed', artifact: result.best!.artifact })
    expect(tuning.details).toMatchObject({ counters: { Completed: 4 }, best: { number: result.best!.number } })
    // One read of the data for every trial.
    expect(result.cost.dataReads).toBe(1)
    expect(events.filter((e) => e === 'trial-end')).toHaveLength(4)
    const csv = toCsv(analyticsTable(trials, ['eta', 'max_depth'])).split('\n')
    expect(csv[0]).toBe('eta,max_depth,TrainingJobName,TrainingJobStatus,FinalObjectiveValue,TrainingStartTime,TrainingEndTime,TrainingElapsedTimeSeconds')
    expect(csv).toHaveLength(6)
    store.close()
  })

  it('trains only what a trial changes: a range on one member reuses the other from the member cache', async () => {
    const spec = await tuningSpec({ ranges: { 'members.xgb.params.eta': { type: 'continuous', min: 0.1, max: 0.4 } }, strategy: 'Random', max_parallel_jobs: 1 })
    const result = await tune(spec, { tracking: join(dir, 'cache'), workers: 1 })
    expect(result.counters.Completed).toBe(4)
    // cat's 3 folds + refit are trained once; xgb's in every trial.
    expect(result.cost.fits).toBe(4 * 4 + 4)
    expect(result.cost.cacheHitRate).toBeCloseTo(3 / 8, 10)
  })

  it('refuses bad ranges, strategies and limits before any trial, naming the field', async () => {
    const bad = async (extra: Record<string, unknown>) => tune(await tuningSpec(extra), { tracking: join(dir, 'bad'), workers: 1 })
    await expect(bad({ ranges: { eta: { type: 'continuous', min: 0.3, max: 0.2 } } })).rejects.toThrow(/ranges\.eta/)
    await expect(bad({ ranges: { etta: { type: 'continuous', min: 0.1, max: 0.2 } } })).rejects.toThrow(/'etta' binds to no member.*did you mean 'eta'/)
    await expect(bad({ ranges: { eta: { type: 'continuous', min: 0.1, max: 2 } } })).rejects.toThrow(/field 'ranges.eta'.*2 is not valid/)
    await expect(bad({ ranges: { 'members.xbg.params.eta': { type: 'continuous', min: 0.1, max: 0.2 } } })).rejects.toThrow(/no member 'xbg'; did you mean 'xgb'/)
    // An option that acts only under a switch the spec leaves off.
    await expect(bad({ ranges: { 'members.xgb.params.num_grad_quant_bins': { type: 'integer', min: 2, max: 8 } } })).rejects.toThrow(
      /field 'ranges.members.xgb.params.num_grad_quant_bins'.*acts only with use_quantized_grad: true/,
    )
    await expect(tuningSpec({ strategy: 'Bayesain' })).rejects.toThrow(/unknown strategy 'Bayesain'; did you mean 'Bayesian'/)
    await expect(tuningSpec({ max_parallel_jobs: 5 })).rejects.toThrow(/max_parallel_jobs \(5\) is more than max_jobs \(4\)/)
    const store = TrackingStore.open(join(dir, 'bad'))
    expect(store.listJobs()).toEqual([])
    store.close()
  })

  it('fails the job with a ParamError when the objective is a metric no trial reports', async () => {
    const run = tune(await tuningSpec({ objective: { metric: 'validation:rmse' }, max_jobs: 2, max_parallel_jobs: 1 }), { tracking: join(dir, 'objective'), workers: 1 })
    await expect(run).rejects.toThrow(ParamError)
    await expect(run).rejects.toThrow(/'validation:rmse' is not among the metrics the trial reports \(cv:rmse, cv:rmse:xgb, cv:rmse:cat\)/)
  })

  it('records a failing trial as Failed with its reason and goes on', async () => {
    const script = join(dir, 'flaky.mjs')
    writeFileSync(script, `const a = process.argv.slice(2); const x = Number(a[a.indexOf('--x') + 1]);\nif (x > 0.5) { console.error('x too large'); process.exit(3) }\nconsole.log('objective:' + ((x - 0.3) ** 2) + ';')\n`)
    const spec = await parseTuningSpec(
      {
        name: 'flaky',
        estimator: { entry_point: 'flaky.mjs', channels: { train: DATA }, metric_definitions: [{ Name: 'objective', Regex: 'objective:([-0-9.e]+);' }] },
        objective: { metric: 'objective', type: 'Minimize' },
        ranges: { x: { type: 'continuous', min: 0, max: 1 } },
        strategy: 'Random',
        max_jobs: 6,
        max_parallel_jobs: 2,
        random_seed: 3,
      },
      { baseDir: dir },
    )
    const result = await tune(spec, { tracking: join(dir, 'flaky') })
    const store = TrackingStore.open(join(dir, 'flaky'))
    const trials = store.listTrials(result.job)
    store.close()
    expect(trials).toHaveLength(6)
    const failed = trials.filter((t) => t.state === 'Failed')
    expect(failed.length).toBeGreaterThan(0)
    expect(failed.every((t) => (t.params.x as number) > 0.5 && t.failureKind === 'NonRetryableError' && /x too large/.test(t.reason!))).toBe(true)
    expect(result.counters.Failed).toBe(failed.length)
    expect(result.counters.Completed).toBe(6 - failed.length)
  })

  it('stops weak trials early on their intermediate values: Hyperband\'s rungs and the median rule', async () => {
    // Nine epochs a trial; the loss falls towards (x - 0.3)^2, so a bad x is bad from the first epoch.
    writeFileSync(
      join(dir, 'epochs.mjs'),
      "const a = process.argv.slice(2); const x = Number(a[a.indexOf('--x') + 1])\nfor (let e = 1; e <= 9; e++) console.log('loss:' + ((x - 0.3) ** 2 + 1 / e) + ';')\n",
    )
    for (const [strategy, earlyStopping] of [['Hyperband', 'Off'], ['Random', 'Auto']] as const) {
      const spec = await parseTuningSpec(
        {
          name: 'epochs',
          estimator: { entry_point: 'epochs.mjs', channels: {}, metric_definitions: [{ Name: 'loss', Regex: 'loss:([-0-9.e]+);' }] },
          objective: { metric: 'loss', type: 'Minimize' },
          ranges: { x: { type: 'continuous', min: 0, max: 1 } },
          strategy,
          strategy_config: { min_resource: 1, max_resource: 9 },
          early_stopping: earlyStopping,
          max_jobs: 16,
          max_parallel_jobs: 1,
          random_seed: 5,
        },
        { baseDir: dir },
      )
      const result = await tune(spec, { tracking: join(dir, `early-${strategy}`) })
      const store = TrackingStore.open(join(dir, `early-${strategy}`))
      const trials = store.listTrials(result.job)
      store.close()
      const stopped = trials.filter((t) => t.state === 'Stopped')
      expect(stopped.length, strategy).toBeGreaterThan(0)
      expect(result.counters.Stopped).toBe(stopped.length)
      for (const t of stopped) {
        // Stopped before the ninth epoch, with its last reported value as its objective.
        expect(t.intermediate.length).toBeLessThan(9)
        expect(t.value).toBe(t.intermediate.at(-1)![1])
      }
      // The best trial ran to the end.
      expect(trials.find((t) => t.number === result.best!.number)!.intermediate).toHaveLength(9)
    }
  })

  it('starts warm from parent tuning jobs: their trials inform the search, and the overall best spans them', async () => {
    const tracking = join(dir, 'warm')
    const parent = await tune(await tuningSpec({ strategy: 'Random', max_jobs: 3, max_parallel_jobs: 1 }), { tracking, workers: 1 })
    const child = await tune(await tuningSpec({ strategy: 'Random', max_jobs: 2, max_parallel_jobs: 1, random_seed: 8, warm_start: { parents: [parent.job] } }), { tracking, workers: 1 })
    expect(child.counters.Completed).toBe(2)
    const all = [parent.best!, child.best!].sort((a, b) => a.objective - b.objective)
    expect(child.overallBest).toEqual(all[0])
    const store = TrackingStore.open(tracking)
    expect(store.listTrials(child.job).map((t) => t.number)).toEqual([0, 1])
    const jobs = store.listJobs().length
    store.close()
    await expect(tune(await tuningSpec({ warm_start: { parents: ['nope'] } }), { tracking })).rejects.toThrow(/field 'warm_start.parents.0'/)
    const after = TrackingStore.open(tracking)
    expect(after.listJobs()).toHaveLength(jobs)
    after.close()
  })

  it('tunes an objective function in this process, as optimize does', async () => {
    const result = await tune({
      ranges: [{ name: 'x', type: 'continuous', min: 0, max: 1, scaling: 'Linear' }],
      direction: 'minimize',
      strategy: 'Bayesian',
      seed: 2,
      maxJobs: 12,
      objective: async ({ x }) => ((x as number) - 0.3) ** 2,
    })
    expect(result.trials).toHaveLength(12)
    expect(result.best!.value!).toBeLessThan(0.01)
  })

  it('refuses to resume a job that is not a tuning job', async () => {
    const tracking = join(dir, 'resume-bad')
    const store = TrackingStore.open(tracking)
    store.createJob({ id: 'train-1', kind: 'training', name: 'x', spec: {} })
    store.close()
    await expect(tune(null, { tracking, resume: 'train-1' })).rejects.toThrow(/job 'train-1' is a training job, not a tuning job/)
    await expect(tune(null, { tracking, resume: 'nope' })).rejects.toThrow(ParamError)
  })
})
