import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { blenderFromState } from '../ensemble/blenders/index.js'
import { readFrame } from '../data/read.js'
import { DataError } from '../errors.js'
import { modelFromState } from '../runtime/models/registry.js'
import { loadBundle } from '../store/artifact/index.js'
import { parseSpec } from './spec/index.js'
import type { MembersSpec } from './spec/types.js'
import { trainEnsemble } from './train.js'

const DATA = fileURLToPath(new URL('../../data/', import.meta.url))
const out = mkdtempSync(join(tmpdir(), 'consort-train-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

function spec(extra: Record<string, unknown> = {}): MembersSpec {
  const s = parseSpec(
    {
      name: 'diabetes',
      target: 'target',
      channels: { train: 'diabetes.csv' },
      cv: { folds: 5, seed: 42 },
      metric: 'rmse',
      members: {
        xgb: { learner: 'gbdt', params: { num_round: 30 } },
        cat: { learner: 'oblivious', params: { iterations: 30 } },
      },
      hyperparameters: { eta: 0.3, max_depth: 3 },
      blend: { method: 'mean' },
      ...extra,
    },
    { baseDir: DATA },
  )
  if (s.kind !== 'ensemble') throw new Error('expected an ensemble spec')
  return s
}

describe('trainEnsemble', () => {
  it('reads and bins once, cross-validates every member, blends and saves one verified artifact', async () => {
    const events: string[] = []
    const dir = join(out, 'mean')
    const result = await trainEnsemble(spec(), { outDir: dir, threads: 1, onEvent: (e) => events.push(e.type === 'fit' ? `fit ${e.member} ${e.fold}` : e.type) })
    expect(result.task).toBe('regression')
    // The data layer's own counters: one read and one binning for 2 members x 5 folds + 2 refits.
    expect([result.resources.dataReads, result.resources.binnings]).toEqual([1, 1])
    // 5 folds and the refit on all rows, for each member.
    expect(events.filter((e) => e.startsWith('fit')).sort()).toEqual(
      ['cat', 'xgb'].flatMap((m) => [0, 1, 2, 3, 4, null].map((f) => `fit ${m} ${f}`)).sort(),
    )
    expect(result.resources.bytesRead).toBe(statSync(join(DATA, 'diabetes.csv')).size)
    expect(result.resources.cpuSeconds).toBeGreaterThan(0)
    expect(result.resources.peakRssBytes).toBeGreaterThan(1 << 20)
    expect(Object.keys(result.metrics).sort()).toEqual(['cv:rmse', 'cv:rmse:cat', 'cv:rmse:xgb'])
    expect(result.metrics['cv:rmse']).toBeGreaterThan(45)
    expect(result.metrics['cv:rmse']).toBeLessThan(70)
    const written = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as { metrics: Record<string, number>; folds: Record<string, number[]> }
    expect(written.metrics).toEqual(result.metrics)
    // The job's metric per fold, for the ensemble and each member; RMSE's square mean over folds bounds the pooled value.
    expect(Object.keys(written.folds).sort()).toEqual(['cat', 'ensemble', 'xgb'])
    for (const scores of Object.values(written.folds)) expect(scores).toHaveLength(5)
    const rms = (v: number[]): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length)
    // Equal folds of diabetes (442 rows: 89 or 88 each) make the pooled RMSE nearly the folds' RMS.
    expect(rms(written.folds.xgb)).toBeCloseTo(result.metrics['cv:rmse:xgb'], 0)

    // The artifact predicts what the job's final models predict.
    const bundle = await loadBundle(result.artifact)
    expect(bundle.manifest.members.map((m) => m.name)).toEqual(['xgb', 'cat'])
    const frame = await readFrame(join(DATA, 'diabetes.csv'))
    const members = bundle.members.map((m) => modelFromState(m.state))
    const blend = blenderFromState(bundle.blenderState as Parameters<typeof blenderFromState>[0])
    const pred = blend.blend(members.map((m) => m.predict(frame)))
    expect(pred).toHaveLength(frame.nRows)
    for (let i = 0; i < pred.length; i++) expect(pred[i]).toBeCloseTo((members[0].predict(frame)[i] + members[1].predict(frame)[i]) / 2, 9)
  })

  it('keeps the fold models with final: bag, and scores a validation channel', async () => {
    const result = await trainEnsemble(spec({ final: 'bag', channels: { train: 'diabetes.csv', validation: 'diabetes.csv' } }), { outDir: join(out, 'bag'), threads: 1 })
    expect([result.resources.dataReads, result.resources.binnings]).toEqual([2, 1])
    expect(result.metrics['validation:rmse']).toBeGreaterThan(0)
    const bundle = await loadBundle(result.artifact)
    expect(bundle.members[0].state.kind).toBe('bag')
  })

  it('gives the same models with fits side by side on worker threads as one after another', async () => {
    const s = spec({ cv: { folds: 3, seed: 7 } })
    const serial = await trainEnsemble(s, { outDir: join(out, 'serial'), workers: 1, threads: 1 })
    const parallel = await trainEnsemble(s, { outDir: join(out, 'parallel'), workers: 2 })
    expect(parallel.metrics).toEqual(serial.metrics)
    const [a, b] = await Promise.all([loadBundle(serial.artifact), loadBundle(parallel.artifact)])
    expect(b.members.map((m) => m.state)).toEqual(a.members.map((m) => m.state))
  })

  it('scores a validation channel whose columns and categories come in another order', async () => {
    const colors = ['red', 'green', 'blue', 'white']
    const rows = Array.from({ length: 120 }, (_, i) => ({ x: (i * 37) % 17, color: colors[(i * 7) % 4], y: ((i * 37) % 17) + 10 * ((i * 7) % 4) }))
    writeFileSync(join(out, 'colors.csv'), ['x,color,y', ...rows.map((r) => `${r.x},${r.color},${r.y}`)].join('\n') + '\n')
    // Same rows reversed (so the categories are first seen in another order), columns shuffled.
    writeFileSync(join(out, 'colors-shuffled.csv'), ['y,color,x', ...rows.reverse().map((r) => `${r.y},${r.color},${r.x}`)].join('\n') + '\n')
    const run = (validation: string) =>
      trainEnsemble(
        parseSpec(
          { name: 'colors', target: 'y', channels: { train: 'colors.csv', validation }, cv: { folds: 3 }, members: { xgb: { learner: 'gbdt', params: { num_round: 20 } } } },
          { baseDir: out },
        ) as MembersSpec,
        { outDir: join(out, `colors-${validation}`), threads: 1 },
      )
    const [same, shuffled] = await Promise.all([run('colors.csv'), run('colors-shuffled.csv')])
    expect(same.metrics['validation:rmse']).toBeLessThan(3)
    expect(shuffled.metrics['validation:rmse']).toBeCloseTo(same.metrics['validation:rmse'], 10)
  })

  it('refuses a missing target column and a single-class classifier with the field named', async () => {
    await expect(trainEnsemble(spec({ target: 'nope' }), { outDir: join(out, 'bad') })).rejects.toThrow(/no target column 'nope'/)
    await expect(trainEnsemble(spec({ task: 'binary', target: 'sex' }), { outDir: join(out, 'bad') })).rejects.toBeInstanceOf(DataError)
  })

  it('bins once per bin count the members ask for: gbdt reads its own max_bin, shared or its own', async () => {
    const members = {
      xgb: { learner: 'gbdt', params: { num_round: 10 } },
      coarse: { learner: 'gbdt', params: { num_round: 10, max_bin: 8 } },
      cat: { learner: 'oblivious', params: { iterations: 10 } },
    }
    const result = await trainEnsemble(spec({ members }), { outDir: join(out, 'bins'), threads: 1 })
    expect(result.resources.binnings).toBe(2)
    // Eight bins are coarser than 256: the two gbdt members differ.
    expect(result.metrics['cv:rmse:coarse']).not.toBe(result.metrics['cv:rmse:xgb'])
    const shared = await trainEnsemble(spec({ members: { xgb: members.xgb }, hyperparameters: { eta: 0.3, max_depth: 3, max_bin: 8 } }), { outDir: join(out, 'bins-shared'), threads: 1 })
    expect(shared.metrics['cv:rmse']).toBe(result.metrics['cv:rmse:coarse'])
    expect(shared.resources.binnings).toBe(1)
  })

  it('refuses a member\'s thread parameter: the job owns the threads', async () => {
    const members = { xgb: { learner: 'gbdt', params: { n_jobs: 2 } } }
    await expect(trainEnsemble(spec({ members }), { outDir: join(out, 'bad') })).rejects.toThrow(/field 'members.xgb.params.n_jobs': 'n_jobs' sets gbdt's threads, which belong to the job/)
    const shared = spec({ members: { cat: { learner: 'oblivious', params: {} } }, hyperparameters: { thread_count: 1 } })
    await expect(trainEnsemble(shared, { outDir: join(out, 'bad') })).rejects.toThrow(/field 'hyperparameters.thread_count'/)
  })

  it('gives two jobs at once in one process the same models and resource counts as each alone', async () => {
    const a = spec({ members: { xgb: { learner: 'gbdt', params: { num_round: 20, max_bin: 32 } }, rf: { learner: 'random_forest', params: { n_estimators: 10 } } } })
    const b = spec({ members: { cat: { learner: 'oblivious', params: { iterations: 20 } }, lin: { learner: 'linear', params: {} } } })
    const alone = [await trainEnsemble(a, { outDir: join(out, 'alone-a'), threads: 2 }), await trainEnsemble(b, { outDir: join(out, 'alone-b'), workers: 2 })]
    const together = await Promise.all([trainEnsemble(a, { outDir: join(out, 'together-a'), threads: 2 }), trainEnsemble(b, { outDir: join(out, 'together-b'), workers: 2 })])
    for (const [i, r] of together.entries()) {
      expect(r.metrics).toEqual(alone[i].metrics)
      expect([r.resources.dataReads, r.resources.bytesRead, r.resources.binnings]).toEqual([alone[i].resources.dataReads, alone[i].resources.bytesRead, alone[i].resources.binnings])
      const [x, y] = await Promise.all([loadBundle(r.artifact), loadBundle(alone[i].artifact)])
      expect(x.members).toEqual(y.members)
    }
  })

  it('says a file has no data rows, or no feature columns, instead of failing further on', async () => {
    const headerOnly = join(out, 'header-only.csv')
    writeFileSync(headerOnly, 'age,sex,target\n')
    const targetOnly = join(out, 'target-only.csv')
    writeFileSync(targetOnly, 'target\n1\n2\n3\n4\n')
    for (const task of ['regression', 'binary'] as const) {
      const run = trainEnsemble(spec({ task, channels: { train: headerOnly } }), { outDir: join(out, 'bad') })
      await expect(run).rejects.toThrow(`${headerOnly}: the file has no data rows, only a header`)
    }
    const run = trainEnsemble(spec({ channels: { train: targetOnly } }), { outDir: join(out, 'bad') })
    await expect(run).rejects.toThrow(`${targetOnly}: no feature columns: the target 'target' is the file's only column`)
  })
})
