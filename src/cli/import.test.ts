/**
 * End to end: `consort train` on a spec mixing a trained gbdt with an XGBoost model imported from
 * its JSON file, blended by mean (no holdout) and by a stack fitted on a holdout channel, then
 * `consort predict` on the saved bundle, which knows nothing of the import.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFrame } from '../data/read.js'
import { importXgboostText } from '../interop/xgboost/import-xgboost.js'
import { blenderFromState, modelFromState, type BlendState } from '../runtime/index.js'
import { loadBundle } from '../store/artifact/index.js'
import { consort, lines, ROOT } from './testing/run.js'

const dir = mkdtempSync(join(tmpdir(), 'consort-cli-import-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const XGB = join(ROOT, 'src/interop/xgboost/fixtures/binary.model.json')

beforeAll(() => {
  const [header, ...rows] = readFileSync(join(ROOT, 'data/breast_cancer.csv'), 'utf8').trim().split('\n')
  writeFileSync(join(dir, 'train.csv'), [header, ...rows.slice(0, 400)].join('\n') + '\n')
  writeFileSync(join(dir, 'holdout.csv'), [header, ...rows.slice(400)].join('\n') + '\n')
  copyFileSync(XGB, join(dir, 'xgb.json'))
})

function spec(name: string, extra: string, channels = '{ train: train.csv }'): string {
  const file = join(dir, `${name}.yaml`)
  writeFileSync(
    file,
    `name: ${name}
target: target
channels: ${channels}
cv: { folds: 3 }
members:
  gb: { learner: gbdt, params: { num_round: 20, max_depth: 3 } }
  xgb: { learner: import, path: xgb.json }
${extra}`,
  )
  return file
}

async function train(file: string, out: string): Promise<{ metrics: Record<string, number>; artifact: string }> {
  const run = await consort(['train', file, '--out', out, '--json'])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(lines(run.stdout).at(-1)!)
}

/** The probabilities `consort predict` writes. */
async function predict(model: string, input: string): Promise<number[]> {
  const output = join(dir, `pred-${Math.random().toString(36).slice(2)}.csv`)
  const run = await consort(['predict', '--model', model, '--input', input, '--output', output])
  expect(run.code, run.stderr).toBe(0)
  // Binary rows: probability,label.
  return lines(readFileSync(output, 'utf8')).slice(1).map((l) => Number(l.split(',')[0]))
}

describe('consort train with an imported XGBoost member', () => {
  it('blends by mean with no holdout: the import scored on the training rows, saved and served like a trained member', async () => {
    const result = await train(spec('import-mean', 'blend: { method: mean }\n'), join(dir, 'mean'))
    expect(Object.keys(result.metrics).sort()).toEqual(['cv:logloss', 'cv:logloss:gb', 'train:logloss:xgb'])
    const bundle = await loadBundle(result.artifact)
    expect(bundle.members.map((m) => [m.name, m.state.kind])).toEqual([['gb', 'gbdt'], ['xgb', 'gbdt']])

    const holdout = join(dir, 'holdout.csv')
    const frame = await readFrame(holdout)
    const predicted = await predict(result.artifact, holdout)
    const gb = modelFromState(bundle.members[0].state).predict(frame)
    const xgb = importXgboostText(readFileSync(XGB, 'utf8'), { file: XGB }).predict(frame)
    expect(predicted).toHaveLength(frame.nRows)
    predicted.forEach((p, i) => expect(p).toBeCloseTo((gb[i] + xgb[i]) / 2, 10))
    // The saved member is the import itself, not a copy trained again.
    expect(modelFromState(bundle.members[1].state).predict(frame)).toEqual(xgb)
  })

  it('fits a stack on the holdout channel and reports the ensemble there', async () => {
    const file = spec('import-stack', 'blend: { method: stack }\n', '{ train: train.csv, holdout: holdout.csv }')
    const result = await train(file, join(dir, 'stack'))
    expect(Object.keys(result.metrics).sort()).toEqual(['cv:logloss:gb', 'holdout:logloss', 'holdout:logloss:gb', 'holdout:logloss:xgb'])
    expect(result.metrics['holdout:logloss']).toBeLessThan(0.3)

    const holdout = join(dir, 'holdout.csv')
    const frame = await readFrame(holdout)
    const bundle = await loadBundle(result.artifact)
    const members = bundle.members.map((m) => modelFromState(m.state).predict(frame))
    const expected = blenderFromState(bundle.blenderState as BlendState).blend(members, frame)
    const predicted = await predict(result.artifact, holdout)
    predicted.forEach((p, i) => expect(p).toBeCloseTo(expected[i], 10))
  })

  it('refuses a stack without a holdout before any work, naming the field', async () => {
    const run = await consort(['train', spec('import-refused', 'blend: { method: stack }\n'), '--out', join(dir, 'refused')])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/import-refused\.yaml, line 3, column 1, field 'channels': .*add a holdout channel/)
  })
})
