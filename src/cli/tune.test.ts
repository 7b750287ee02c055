// consort tune as a user runs it: the seed story on the built-in ensemble, bad input, and a tuning
// process killed with SIGKILL mid-way then resumed.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { TrackingStore } from '../store/tracking/store.js'
import { consort, lines, ROOT } from './testing/run.js'

describe('consort tune', () => {
  it('runs the seed story on the built-in ensemble and describes the best training job', async () => {
    const run = await consort(['tune', 'examples/diabetes/tuning.yaml', '--set', 'max_jobs=4', '--json'])
    expect(run.code, run.stderr).toBe(0)
    const result = JSON.parse(lines(run.stdout).at(-1)!)
    expect(result).toMatchObject({ status: 'Completed', counters: { Completed: 4, Failed: 0, Stopped: 0, InProgress: 0 } })
    expect(result.best).toMatchObject({ job: expect.any(String), params: { eta: expect.any(Number), max_depth: expect.any(Number) }, objective: expect.any(Number) })
    expect(run.stdout).toContain(`best training job: ${result.best.job}`)
    const described = await consort(['jobs', 'describe', result.job])
    expect(described.code).toBe(0)
    expect(described.stdout).toMatch(new RegExp(`BestTrainingJob\\s+${result.best.job}`))
    expect(described.stdout).toMatch(/counters\s+Completed 4/)
    const analytics = await consort(['tune', 'analytics', result.job, '--csv'])
    expect(lines(analytics.stdout)[0]).toBe('eta,max_depth,TrainingJobName,TrainingJobStatus,FinalObjectiveValue,TrainingStartTime,TrainingEndTime,TrainingElapsedTimeSeconds')
    expect(lines(analytics.stdout)).toHaveLength(5)
  })

  it('refuses bad input with exit 2 before any trial: an inverted range, max_parallel_jobs > max_jobs, a resume id of a training job', async () => {
    const inverted = await consort(['tune', 'examples/diabetes/tuning.yaml', '--set', 'ranges.eta.min=0.5'])
    expect(inverted.code).toBe(2)
    expect(inverted.stderr).toMatch(/ranges\.eta/)
    const parallel = await consort(['tune', 'examples/diabetes/tuning.yaml', '--set', 'max_parallel_jobs=9'])
    expect(parallel.code).toBe(2)
    expect(parallel.stderr).toMatch(/max_parallel_jobs \(9\) is more than max_jobs \(4\)/)
    const trained = await consort(['train', 'examples/diabetes/ensemble.yaml', '--set', 'members.xgb.params.num_round=5', '--set', 'members.cat.params.iterations=5', '--json'])
    const job = JSON.parse(lines(trained.stdout).at(-1)!).job
    const resume = await consort(['tune', '--resume', job])
    expect(resume.code).toBe(2)
    expect(resume.stderr).toMatch(/is a training job, not a tuning job/)
  })

  it('resumes after SIGKILL: finished trials are kept, interrupted ones run again, and it ends with exactly max_jobs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'consort-tune-kill-'))
    try {
      writeFileSync(join(dir, 'slow.mjs'), "const a = process.argv.slice(2); const x = Number(a[a.indexOf('--x') + 1])\nsetTimeout(() => console.log('objective:' + (x - 0.4) ** 2 + ';'), 700)\n")
      writeFileSync(join(dir, 'data.csv'), 'a,b\n1,2\n')
      const spec = join(dir, 'tuning.json')
      writeFileSync(
        spec,
        JSON.stringify({
          name: 'slow',
          estimator: { entry_point: 'slow.mjs', channels: { train: 'data.csv' }, metric_definitions: [{ Name: 'objective', Regex: 'objective:([-0-9.e]+);' }] },
          objective: { metric: 'objective', type: 'Minimize' },
          ranges: { x: { type: 'continuous', min: 0, max: 1 } },
          strategy: 'Random',
          max_jobs: 6,
          max_parallel_jobs: 2,
        }),
      )
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'tune', spec], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
      let stderr = ''
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
      const closed = new Promise<void>((resolve) => child.on('close', () => resolve()))
      // Kill it once two trials have finished and others are running.
      const job = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const id = /tuning job (\S+): up to/.exec(stderr)?.[1]
          if (id && (stderr.match(/^trial \d+ Completed/gm) ?? []).length >= 2 && /^trial \d+ started/m.test(stderr.split(/^trial \d+ Completed.*$/m).at(-1)!)) {
            clearInterval(timer)
            child.kill('SIGKILL')
            resolve(id)
          }
          if (child.exitCode !== null) {
            clearInterval(timer)
            reject(new Error(`tune ended before it could be killed: ${stderr}`))
          }
        }, 20)
      })
      await closed
      const store = TrackingStore.open(join(ROOT, '.consort'))
      const before = store.listTrials(job)
      store.close()
      const finished = before.filter((t) => t.state === 'Completed')
      expect(finished.length).toBeGreaterThanOrEqual(2)
      expect(before.some((t) => t.state === 'Running')).toBe(true)

      const resumed = await consort(['tune', '--resume', job, '--json'])
      expect(resumed.code, resumed.stderr).toBe(0)
      const result = JSON.parse(lines(resumed.stdout).at(-1)!)
      expect(result.counters).toMatchObject({ Completed: 6, InProgress: 0 })
      const after = TrackingStore.open(join(ROOT, '.consort'))
      const trials = after.listTrials(job)
      after.close()
      expect(trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5])
      // Finished trials were not run again.
      for (const t of finished) expect(trials[t.number]).toEqual(t)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
