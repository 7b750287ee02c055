/**
 * Training time of `oblivious` against `gbdt` in the same run (the machine is shared, so only the
 * ratio means much): synthetic regression data, 100 trees of depth 6, both learners on all cores.
 *
 *   node --import tsx bench/oblivious-speed.ts [--rows 1000000] [--features 8] [--iterations 100]
 */
import { parseArgs } from 'node:util'
import { makeFrame, numericColumn } from '../src/data/frame.js'
import { gbdtLearner } from '../src/learners/gbdt/spec.js'
import { obliviousLearner } from '../src/learners/oblivious/spec.js'
import { parseLearnerParams } from '../src/learners/registry.js'
import { prepareTrainingData } from '../src/learners/training-data.js'
import type { LearnerSpec } from '../src/learners/types.js'
import { generateSynthetic } from './synthetic.js'

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    features: { type: 'string', default: '8' },
    iterations: { type: 'string', default: '100' },
    threads: { type: 'string', default: '0' },
  },
})
/** The target: oblivious trains within this factor of gbdt's time on the same data. */
const TARGET_RATIO = 1.2
const rows = Number(values.rows)
const iterations = Number(values.iterations)
const threads = Number(values.threads)
const d = generateSynthetic({ rows, features: Number(values.features), task: 'regression', missing: 0, seed: 1 })
const data = prepareTrainingData(makeFrame(d.names.map((name, f) => numericColumn(name, d.columns[f]))))

async function time(spec: LearnerSpec, raw: Record<string, unknown>): Promise<{ seconds: number; rmse: number }> {
  const params = parseLearnerParams(spec, raw)
  const t0 = performance.now()
  const model = await spec.fit(data, d.target, params, { task: 'regression', nClasses: 1, seed: 1, threads })
  const seconds = (performance.now() - t0) / 1000
  const pred = model.predict(data.frame)
  let s = 0
  for (let i = 0; i < rows; i++) s += (pred[i] - d.target[i]) ** 2
  return { seconds, rmse: Math.sqrt(s / rows) }
}

// Warm both up (JIT, worker start-up) on a small slice of the work first.
await time(gbdtLearner, { num_round: 2, max_depth: 6 })
await time(obliviousLearner, { iterations: 2, depth: 6 })
const gbdt = await time(gbdtLearner, { num_round: iterations, max_depth: 6, eta: 0.3 })
const oblivious = await time(obliviousLearner, { iterations, depth: 6, learning_rate: 0.3 })
console.log(`rows ${rows}, features ${values.features}, ${iterations} trees of depth 6, threads ${threads || 'all'}`)
console.log(`gbdt       ${gbdt.seconds.toFixed(2)} s  train RMSE ${gbdt.rmse.toFixed(4)}`)
console.log(`oblivious  ${oblivious.seconds.toFixed(2)} s  train RMSE ${oblivious.rmse.toFixed(4)}`)
const ratio = oblivious.seconds / gbdt.seconds
console.log(`ratio oblivious / gbdt: ${ratio.toFixed(2)} (target <= ${TARGET_RATIO}: ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'})`)
