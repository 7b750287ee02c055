import { describe, expect, it } from 'vitest'
import { ParamError } from '../errors.js'
import { optimize } from './optimize.js'
import type { ParameterRange, Pruner } from './types.js'

const ranges: ParameterRange[] = [{ name: 'x', type: 'continuous', min: -5, max: 5, scaling: 'Linear' }]
const ticks = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}

describe('optimize', () => {
  it('runs up to maxParallel objectives at once and maxJobs in all', async () => {
    let now = 0
    let peak = 0
    const result = await optimize({
      ranges,
      direction: 'minimize',
      strategy: 'Random',
      maxJobs: 10,
      maxParallel: 3,
      objective: async ({ x }, trial) => {
        now++
        peak = Math.max(peak, now)
        await ticks(1 + (trial.number % 3))
        now--
        return ((x as number) - 1) ** 2
      },
    })
    expect(peak).toBe(3)
    expect(result.trials).toHaveLength(10)
    expect(result.stopReason).toBe('max_jobs (10) reached')
    expect(result.best!.value).toBe(Math.min(...result.trials.map((t) => t.value!)))
  })

  it('fails a trial whose objective throws or returns no number, and goes on', async () => {
    const ended: string[] = []
    const result = await optimize({
      ranges,
      direction: 'minimize',
      strategy: 'Random',
      maxJobs: 6,
      objective: (_p, trial) => {
        if (trial.number === 1) throw new Error('diverged')
        if (trial.number === 2) return undefined
        return trial.number
      },
      onTrialEnd: (t) => ended.push(t.state),
    })
    expect(ended).toEqual(['Completed', 'Failed', 'Failed', 'Completed', 'Completed', 'Completed'])
    expect(result.study.trial(1)!.reason).toBe('diverged')
    expect(result.study.trial(2)!.reason).toMatch(/returned undefined/)
  })

  it('records a pruned trial as Stopped with its last report, or the value it returns', async () => {
    const stopAtTwo: Pruner = { name: 'at-two', shouldStop: (t) => t.intermediate.length >= 2 && t.number % 2 === 1 }
    const result = await optimize({
      ranges,
      direction: 'minimize',
      strategy: 'Random',
      maxJobs: 4,
      pruner: stopAtTwo,
      objective: async (_p, trial) => {
        for (let step = 1; step <= 5; step++) {
          trial.report(step, 10 - step)
          if (trial.shouldStop()) return trial.number === 3 ? 42 : undefined
          await ticks(1)
        }
        return 5
      },
    })
    expect(result.trials.map((t) => [t.state, t.value])).toEqual([
      ['Completed', 5],
      ['Stopped', 8],
      ['Completed', 5],
      ['Stopped', 42],
    ])
  })

  it('refuses a maxParallel that is not a positive integer', async () => {
    await expect(optimize({ ranges, direction: 'minimize', maxJobs: 3, maxParallel: 0, objective: () => 1 })).rejects.toThrow(ParamError)
  })

  it('starts no new trial once aborted', async () => {
    const controller = new AbortController()
    const result = await optimize({
      ranges,
      direction: 'minimize',
      strategy: 'Random',
      maxJobs: 100,
      maxParallel: 2,
      signal: controller.signal,
      objective: async (_p, trial) => {
        if (trial.number === 4) controller.abort()
        await ticks(1)
        return trial.number
      },
    })
    expect(result.stopReason).toBe('aborted')
    expect(result.trials.length).toBeLessThanOrEqual(6)
    expect(result.trials.every((t) => t.state === 'Completed')).toBe(true)
  })

  it('is deterministic for a seed with parallel asynchronous objectives, and finds a minimum', async () => {
    const run = () =>
      optimize({
        ranges: [...ranges, { name: 'c', type: 'categorical', values: ['a', 'b'] }],
        direction: 'minimize',
        strategy: 'Bayesian',
        seed: 5,
        maxJobs: 16,
        maxParallel: 2,
        objective: async ({ x, c }, trial) => {
          await ticks(1 + (trial.number % 2))
          return ((x as number) - 1.3) ** 2 + (c === 'b' ? 0 : 1)
        },
      })
    const a = await run()
    const b = await run()
    expect(b.trials).toEqual(a.trials)
    expect(a.best!.params.c).toBe('b')
    expect(a.best!.value).toBeLessThan(0.05)
  })
})
