// A training script in SageMaker's script mode: it reads its hyperparameters as --name value
// arguments, its data from SM_CHANNEL_TRAIN, prints one metric line per epoch, and saves its
// model in SM_MODEL_DIR. This one fits a linear model by gradient descent on standardised
// features, holding the last fifth of the rows out for validation. No dependencies.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const args = Object.fromEntries(process.argv.slice(2).flatMap((a, i, all) => (a.startsWith('--') ? [[a.slice(2), all[i + 1]]] : [])))
const epochs = Number(args.epochs ?? 50)
const learningRate = Number(args['learning-rate'] ?? 0.1)
const target = args.target ?? 'target'

const dir = process.env.SM_CHANNEL_TRAIN
const file = readdirSync(dir).find((name) => name.endsWith('.csv'))
const [header, ...lines] = readFileSync(join(dir, file), 'utf8').trim().split('\n')
const names = header.split(',')
const rows = lines.map((line) => line.split(',').map(Number))
const t = names.indexOf(target)
const features = names.map((_, j) => j).filter((j) => j !== t)

// Standardise with the training rows' mean and deviation.
const cut = Math.floor(rows.length * 0.8)
const train = rows.slice(0, cut)
const stats = features.map((j) => {
  const mean = train.reduce((s, r) => s + r[j], 0) / train.length
  const sd = Math.sqrt(train.reduce((s, r) => s + (r[j] - mean) ** 2, 0) / train.length) || 1
  return { mean, sd }
})
const x = (r) => features.map((j, k) => (r[j] - stats[k].mean) / stats[k].sd)
const weights = new Array(features.length).fill(0)
let bias = train.reduce((s, r) => s + r[t], 0) / train.length
const predict = (r) => x(r).reduce((s, v, k) => s + v * weights[k], bias)
const rmse = (set) => Math.sqrt(set.reduce((s, r) => s + (predict(r) - r[t]) ** 2, 0) / set.length)

for (let epoch = 1; epoch <= epochs; epoch++) {
  const grad = new Array(features.length).fill(0)
  let gradBias = 0
  for (const r of train) {
    const err = predict(r) - r[t]
    x(r).forEach((v, k) => (grad[k] += err * v))
    gradBias += err
  }
  weights.forEach((_, k) => (weights[k] -= (learningRate * grad[k]) / train.length))
  bias -= (learningRate * gradBias) / train.length
  console.log(`epoch ${epoch}: train-rmse=${rmse(train).toFixed(4)} validation-rmse=${rmse(rows.slice(cut)).toFixed(4)}`)
}

writeFileSync(join(process.env.SM_MODEL_DIR, 'model.json'), JSON.stringify({ features: features.map((j) => names[j]), stats, weights, bias }, null, 2))
