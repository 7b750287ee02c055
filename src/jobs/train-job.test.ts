import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ConsortError } from '../errors.js'
import { TrackingStore } from '../store/tracking/store.js'
import { train } from './train-job.js'

const dir = mkdtempSync(join(tmpdir(), 'consort-train-job-'))
const tracking = join(dir, '.consort')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** 40 rows: x numeric, c categorical, y a regression target, k a binary class. */
const rows = Array.from({ length: 40 }, (_, i) => `${i / 10},${'abc'[i % 3]},${(i * 7) % 11},${i % 2}`)
writeFileSync(join(dir, 'good.csv'), ['x,c,y,k', ...rows].join('\n') + '\n')
writeFileSync(join(dir, 'nan-target.csv'), ['x,c,y,k', ...rows.slice(0, 5), '0.5,a,,1', ...rows.slice(5)].join('\n') + '\n')
writeFileSync(join(dir, 'text-target.csv'), ['x,c,y,k', ...rows.slice(0, 9), '0.9,b,lots,0', ...rows.slice(9)].join('\n') + '\n')
writeFileSync(join(dir, 'text-feature.csv'), ['x,c,y,k', ...rows.slice(0, 3), 'n/a?,c,1,0', ...rows.slice(3)].join('\n') + '\n')
writeFileSync(join(dir, 'one-class.csv'), ['x,c,y,k', ...rows.map((r) => r.replace(/,\d$/, ',1'))].join('\n') + '\n')

function spec(name: string, fields: Record<string, unknown>): string {
  const path = join(dir, `${name}.json`)
  writeFileSync(
    path,
    JSON.stringify({
      name,
      target: 'y',
      channels: { train: 'good.csv' },
      cv: { folds: 3 },
      members: { lin: { learner: 'linear' }, xgb: { learner: 'gbdt', params: { num_round: 5 } } },
      ...fields,
    }),
  )
  return path
}

describe('train (the library form of consort train)', () => {
  it('runs a spec file and records the job as Completed with its metrics and resources', async () => {
    const result = await train(spec('good', {}), { tracking, outDir: join(dir, 'out-good') })
    expect(result).toMatchObject({ status: 'Completed', artifact: join(dir, 'out-good', 'model.tar.gz') })
    expect(result.resources).toMatchObject({ dataReads: 1, binnings: 1 })
    const store = TrackingStore.open(tracking)
    expect(store.getJob(result.job)).toMatchObject({ status: 'Completed', name: 'good', metrics: result.metrics, resources: result.resources })
    store.close()
  })

  const bad: [string, () => string, RegExp][] = [
    ['a missing target column', () => spec('no-target', { target: 'price' }), /field 'target': no target column 'price' \(columns: x, c, y, k\)/],
    ['a missing target value', () => spec('nan-target', { channels: { train: 'nan-target.csv' } }), /field 'y': target is missing or not finite on data row 6/],
    ['text in the target', () => spec('text-target', { channels: { train: 'text-target.csv' } }), /field 'y': .*found 'lots' on data row 10/],
    ['text in a column pinned numeric', () => spec('text-feature', { channels: { train: 'text-feature.csv' }, types: { x: 'numeric' } }), /text-feature\.csv, line 5, column 1.*'n\/a\?' is not a number/],
    ['a single class for a classifier', () => spec('one-class', { channels: { train: 'one-class.csv' }, target: 'k', task: 'binary' }), /at least two classes; found only 1/],
    ['more folds than rows', () => spec('folds', { cv: { folds: 41 } }), /field 'cv.folds': 41 folds for 40 rows/],
    ['an unknown learner', () => spec('learner', { members: { a: { learner: 'xgboost' } } }), /members\.a\.learner.*unknown learner 'xgboost'/],
    ['an unknown parameter', () => spec('param', { members: { a: { learner: 'gbdt', params: { max_dept: 3 } } } }), /max_dept.*did you mean 'max_depth'/],
    ['an unreadable channel', () => spec('channel', { channels: { train: 'missing.csv' } }), /missing\.csv/],
    ['a script that does not exist', () => join(dir, 'script.json'), /estimator\.entry_point.*nope\.py/],
  ]
  writeFileSync(join(dir, 'script.json'), JSON.stringify({ name: 'script', estimator: { entry_point: 'nope.py', channels: {} } }))

  it.each(bad)('refuses %s: a ConsortError saying what and where, a Failed job, nothing written', async (_, make, message) => {
    const out = join(dir, `out-${readdirSync(dir).length}`)
    const run = train(make(), { tracking, outDir: out })
    await expect(run).rejects.toBeInstanceOf(ConsortError)
    await expect(run).rejects.toThrow(message)
    expect(existsSync(join(out, 'model.tar.gz')) || existsSync(join(out, 'metrics.json'))).toBe(false)
    const store = TrackingStore.open(tracking)
    const job = store.listJobs(1)[0]
    store.close()
    expect(job.status).toBe('Failed')
    expect(job.failureReason).toMatch(message)
  })

  it('records a job stopped by its signal as Stopped', async () => {
    const controller = new AbortController()
    controller.abort(new Error('stopped by the user'))
    await expect(train(spec('stopped', {}), { tracking, outDir: join(dir, 'out-stopped'), signal: controller.signal })).rejects.toThrow('stopped by the user')
    const store = TrackingStore.open(tracking)
    expect(store.listJobs(1)[0]).toMatchObject({ name: 'stopped', status: 'Stopped', failureReason: 'stopped by the user' })
    store.close()
  })
})
