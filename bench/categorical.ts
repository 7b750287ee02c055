/**
 * High-cardinality categoricals whose effect is real: `oblivious` with ordered target statistics
 * against `gbdt` on the integer category codes (binned like any number), same data, test RMSE.
 *
 *   node --import tsx bench/categorical.ts [--train 20000] [--test 10000] [--seed 1]
 */
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { categoricalColumn, type Frame, makeFrame, numericColumn } from '../src/data/frame.js'
import { gbdtLearner } from '../src/learners/gbdt/spec.js'
import { obliviousLearner } from '../src/learners/oblivious/spec.js'
import { parseLearnerParams } from '../src/learners/registry.js'
import { prepareTrainingData } from '../src/learners/training-data.js'
import type { LearnerSpec } from '../src/learners/types.js'
import { Rng } from '../src/rng.js'

export interface CategoricalData {
  readonly frame: Frame
  readonly y: Float64Array
  /** Rows [0, nTrain) train, the rest test. */
  readonly nTrain: number
}

/**
 * Two categoricals of 1000 and 300 categories (random codes, so their order means nothing) with
 * random effects, their interaction on a coarse level, two numeric features and noise.
 * @example const { frame, y, nTrain } = generateCategorical(20000, 10000, 1)
 */
export function generateCategorical(nTrain: number, nTest: number, seed: number): CategoricalData {
  const rng = new Rng(seed)
  const n = nTrain + nTest
  const cards = [1000, 300]
  const effects = cards.map((c) => Float64Array.from({ length: c }, () => rng.normal()))
  const groups = cards.map((c) => Int32Array.from({ length: c }, () => rng.int(2)))
  const codes = cards.map(() => new Int32Array(n))
  const x0 = new Float64Array(n)
  const x1 = new Float64Array(n)
  const y = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const a = (codes[0][i] = rng.int(cards[0]))
    const b = (codes[1][i] = rng.int(cards[1]))
    x0[i] = rng.normal()
    x1[i] = rng.normal()
    y[i] = effects[0][a] + effects[1][b] + (groups[0][a] === groups[1][b] ? 0.7 : -0.7) + 0.5 * x0[i] + 0.3 * Math.sin(2 * x1[i]) + 0.5 * rng.normal()
  }
  const names = (c: number) => Array.from({ length: c }, (_, k) => `v${k}`)
  const frame = makeFrame([
    categoricalColumn('c0', codes[0], names(cards[0])),
    categoricalColumn('c1', codes[1], names(cards[1])),
    numericColumn('x0', x0),
    numericColumn('x1', x1),
  ])
  return { frame, y, nTrain }
}

/** Test RMSE of `spec` trained on the first nTrain rows. */
export async function testRmse(spec: LearnerSpec, raw: Record<string, unknown>, d: CategoricalData): Promise<number> {
  const data = prepareTrainingData(d.frame)
  const rows = Int32Array.from({ length: d.nTrain }, (_, i) => i)
  const model = await spec.fit(data, d.y, parseLearnerParams(spec, raw), { task: 'regression', nClasses: 1, rows, seed: 1 })
  const pred = model.predict(d.frame)
  let s = 0
  for (let i = d.nTrain; i < d.frame.nRows; i++) s += (pred[i] - d.y[i]) ** 2
  return Math.sqrt(s / (d.frame.nRows - d.nTrain))
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { train: { type: 'string', default: '20000' }, test: { type: 'string', default: '10000' }, seed: { type: 'string', default: '1' } } })
  const d = generateCategorical(Number(values.train), Number(values.test), Number(values.seed))
  const gbdt = await testRmse(gbdtLearner, { num_round: 500, max_depth: 6, eta: 0.05 }, d)
  const oblivious = await testRmse(obliviousLearner, { iterations: 500, depth: 6, learning_rate: 0.05 }, d)
  console.log(`train ${values.train}, test ${values.test} rows; categoricals of 1000 and 300 categories`)
  console.log(`gbdt on integer codes   test RMSE ${gbdt.toFixed(4)}`)
  console.log(`oblivious, ordered TS   test RMSE ${oblivious.toFixed(4)}`)
}
