import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { benchCommand, runChild, type ChildOutput } from './child.js'
import { holdoutResultSchema } from './results.js'
import { writeSyntheticCsv } from './synthetic.js'

let dir = ''
const file = (name: string): string => join(dir, name)

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'consort-bench-'))
  await writeSyntheticCsv(file('reg-train.csv'), { rows: 2000, features: 8, task: 'regression', missing: 0, seed: 1 })
  await writeSyntheticCsv(file('reg-test.csv'), { rows: 500, features: 8, task: 'regression', missing: 0, seed: 2 })
  await writeSyntheticCsv(file('bin-train.csv'), { rows: 2000, features: 8, task: 'binary', missing: 0.05, seed: 1 })
  await writeSyntheticCsv(file('bin-test.csv'), { rows: 500, features: 8, task: 'binary', missing: 0.05, seed: 2 })
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function bench(...args: string[]): Promise<ChildOutput> {
  return runChild(process.execPath, benchCommand(args))
}

function lastLine(text: string): string {
  return text.trimEnd().split('\n').pop() ?? ''
}

describe('bench gbdt --train --test --json', () => {
  it('prints one JSON line with timings, memory, sizes and the regression metric', async () => {
    const out = await bench(
      'gbdt', '--train', file('reg-train.csv'), '--test', file('reg-test.csv'), '--target', 'y',
      '--set', 'num_round=20', '--set', 'eta=0.3', '--set', 'max_bin=64', '--threads', '1', '--json',
    )
    expect(out.code, out.stderr).toBe(0)
    const r = holdoutResultSchema.parse(JSON.parse(lastLine(out.stdout)))
    expect(r).toMatchObject({ mode: 'holdout', learner: 'gbdt', task: 'regression', rows: 2000, features: 8, test_rows: 500 })
    expect(r.params).toMatchObject({ objective: 'reg:squarederror', num_round: 20, eta: 0.3, max_bin: 64, nthread: 1 })
    expect(r.train_s_includes).toMatch(/binning/)
    for (const s of [r.train_s, r.read_s, r.predict_s]) expect(s).toBeGreaterThanOrEqual(0)
    expect(r.peak_rss_mb).toBeGreaterThan(0)
    expect(r.binned_mb).toBeCloseTo((2000 * 8) / 2 ** 20, 2)
    // noise sd 0.5 on a signal of variance about 3.7: a fitted model lands well inside (0.5, 1.9)
    expect(r.rmse).toBeGreaterThan(0.5)
    expect(r.rmse).toBeLessThan(1.9)
  })

  it('infers a binary task from 0/1 targets and reports AUC and logloss', async () => {
    const out = await bench('gbdt', '--train', file('bin-train.csv'), '--test', file('bin-test.csv'), '--target', 'y', '--set', 'num_round=20', '--json')
    expect(out.code, out.stderr).toBe(0)
    const r = holdoutResultSchema.parse(JSON.parse(lastLine(out.stdout)))
    expect(r.task).toBe('binary')
    expect(r.params.objective).toBe('binary:logistic')
    expect(r.auc).toBeGreaterThan(0.7)
    expect(r.logloss).toBeGreaterThan(0)
    expect(r.rmse).toBeUndefined()
  })

  it('exits with 2 and names the learners for an unknown learner', async () => {
    const out = await bench('gbtd', '--train', file('reg-train.csv'), '--test', file('reg-test.csv'), '--target', 'y', '--json')
    expect(out.code).toBe(2)
    expect(out.stderr).toContain("unknown learner 'gbtd'; did you mean 'gbdt'?")
    expect(out.stdout).toBe('')
  })

  it('exits with 2 and names the option when --target is missing', async () => {
    const out = await bench('gbdt', '--train', file('reg-train.csv'), '--test', file('reg-test.csv'), '--json')
    expect(out.code).toBe(2)
    expect(out.stderr).toContain('--target')
    expect(out.stdout).toBe('')
  })
})
