/**
 * Quality check against XGBoost on a fixed protocol: the diabetes data, 5-fold CV repeated with
 * seeds 0, 1 and 2, gbdt with num_round 300, max_depth 2, eta 0.03, subsample 0.8. XGBoost 1.7
 * (hist) reaches a mean fold RMSE of about 56.5 on this protocol; gbdt must stay within 57.5.
 * Quantised gradients (use_quantized_grad) must stay close to float ones on the same folds.
 */
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'
import { binFrame, fitBins } from '../../data/binning.js'
import { dropColumns, getColumn, numericView, takeRows } from '../../data/frame.js'
import { readFrame } from '../../data/read.js'
import { kFold } from '../../data/splits.js'
import { getMetric } from '../../metrics/registry.js'
import { fitGbdt } from './index.js'

/** Mean test metric of 5-fold CV repeated with fold seeds 0, 1, 2 (bins from the training rows only); the scores too. */
async function cv(name: 'diabetes' | 'breast_cancer', metric: 'rmse' | 'auc', params: Record<string, unknown>): Promise<{ mean: number; scores: number[] }> {
  const frame = await readFrame(fileURLToPath(new URL(`../../../data/${name}.csv`, import.meta.url)))
  const x = dropColumns(frame, ['target'])
  const y = Float64Array.from(numericView(getColumn(frame, 'target')))
  const score = getMetric(metric)
  const scores: number[] = []
  for (const seed of [0, 1, 2]) {
    for (const fold of kFold(x.nRows, 5, seed)) {
      // Bins come from the training rows only, as they would in a real CV job.
      const trainX = takeRows(x, fold.train)
      const binned = binFrame(trainX, fitBins(trainX))
      const trainY = Float64Array.from(fold.train, (r) => y[r])
      const model = await fitGbdt(binned, trainY, { ...params, seed, nthread: 1 })
      const testY = Float64Array.from(fold.test, (r) => y[r])
      scores.push(score.compute(testY, model.predict(takeRows(x, fold.test)), metric === 'auc' ? 2 : 1))
    }
  }
  return { mean: scores.reduce((a, b) => a + b, 0) / scores.length, scores }
}

const protocol = { num_round: 300, max_depth: 2, eta: 0.03, subsample: 0.8 }

it('reaches a 5-fold CV RMSE of at most 57.5 on diabetes (3 repeats)', async () => {
  const { mean, scores } = await cv('diabetes', 'rmse', protocol)
  expect(scores).toHaveLength(15)
  expect(mean).toBeLessThanOrEqual(57.5)
  // A sanity floor: far below XGBoost would mean the folds leak.
  expect(mean).toBeGreaterThan(50)
})

it('stays close to float gradients with quantised ones: diabetes CV RMSE within 2%, breast cancer CV AUC within 0.01', async () => {
  const float = await cv('diabetes', 'rmse', protocol)
  for (const extra of [{}, { quant_train_renew_leaf: true }, { stochastic_rounding: false, num_grad_quant_bins: 16 }]) {
    const quantised = await cv('diabetes', 'rmse', { ...protocol, use_quantized_grad: true, ...extra })
    expect(quantised.mean, JSON.stringify(extra)).toBeLessThanOrEqual(1.02 * float.mean)
    expect(quantised.mean).toBeLessThanOrEqual(57.5)
  }
  const binary = { objective: 'binary:logistic', num_round: 100, max_depth: 3, eta: 0.1 }
  const floatAuc = await cv('breast_cancer', 'auc', binary)
  const quantisedAuc = await cv('breast_cancer', 'auc', { ...binary, use_quantized_grad: true })
  expect(quantisedAuc.mean).toBeGreaterThanOrEqual(floatAuc.mean - 0.01)
  expect(quantisedAuc.mean).toBeGreaterThan(0.98)
})
