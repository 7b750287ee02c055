/**
 * End-to-end behaviour of the gbdt learner through its public entry points: fitGbdt on binned
 * frames, the fitted GbdtModel, its state and the runtime predictor it produces.
 */
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { binFrame, type BinnedFrame, fitBins } from '../../data/binning.js'
import { dropColumns, type Frame, getColumn, makeFrame, numericColumn, numericView, takeRows } from '../../data/frame.js'
import { readFrame } from '../../data/read.js'
import { holdout } from '../../data/splits.js'
import { DataError, ParamError } from '../../errors.js'
import { getMetric } from '../../metrics/registry.js'
import { Rng } from '../../rng.js'
import { decodeTreeEnsemble, encodeTreeEnsemble } from '../../runtime/codec.js'
import { applyLink } from '../../runtime/link.js'
import { predictMargins, type TreeEnsemble } from '../../runtime/tree-ensemble.js'
import { parseParams } from '../params.js'
import { parseLearnerParams } from '../registry.js'
import { gbdtLearner } from './spec.js'
import { fitGbdt, gbdtAliases, gbdtParams, GbdtModel } from './index.js'
import { setTrainingKernels, trainingKernels } from '../kernel-choice.js'
import type { GbdtState } from '../../runtime/models/gbdt.js'
import type { ObjectiveName } from './params.js'

interface Dataset {
  readonly x: Frame
  readonly y: Float64Array
  readonly binned: BinnedFrame
}

const cache = new Map<string, Promise<Dataset>>()

/** A bundled CSV data set: features, the `target` column, and the features binned on all rows. */
function dataset(name: 'diabetes' | 'breast_cancer' | 'wine'): Promise<Dataset> {
  let p = cache.get(name)
  if (!p) {
    p = readFrame(fileURLToPath(new URL(`../../../data/${name}.csv`, import.meta.url))).then((frame) => {
      const x = dropColumns(frame, ['target'])
      const y = Float64Array.from(numericView(getColumn(frame, 'target')))
      return { x, y, binned: binFrame(x, fitBins(x)) }
    })
    cache.set(name, p)
  }
  return p
}

/** A frame of numeric columns x0, x1, ... */
const frameOf = (columns: Float64Array[]) => makeFrame(columns.map((v, i) => numericColumn(`x${i}`, v)))
const binAll = (x: Frame) => binFrame(x, fitBins(x))

/** Leaves and depth of each tree of an ensemble (a node is a leaf when left[n] < 0). */
function treeShapes(m: TreeEnsemble): { leaves: number; depth: number }[] {
  const depthOf = (n: number): number => (m.left[n] < 0 ? 0 : 1 + Math.max(depthOf(m.left[n]), depthOf(m.left[n] + 1)))
  const shapes: { leaves: number; depth: number }[] = []
  for (let t = 0; t < m.treeStart.length; t++) {
    const end = t + 1 < m.treeStart.length ? m.treeStart[t + 1] : m.left.length
    let leaves = 0
    for (let n = m.treeStart[t]; n < end; n++) if (m.left[n] < 0) leaves++
    shapes.push({ leaves, depth: depthOf(m.treeStart[t]) })
  }
  return shapes
}

/** Bytes of a float64 array, for bit-for-bit comparison. */
const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)

/** Uniform [0, 1) column of n values from a seeded generator. */
function uniform(rng: Rng, n: number): Float64Array {
  return Float64Array.from({ length: n }, () => rng.next())
}

describe('missing values', () => {
  /** x0 uniform, y = 10 when x0 > 0.5 else 0; a quarter of x0 is NaN with target `missingTarget`. */
  function data(missingTarget: number) {
    const rng = new Rng(11)
    const n = 400
    const x0 = uniform(rng, n)
    const x1 = uniform(rng, n)
    const y = Float64Array.from(x0, (v) => (v > 0.5 ? 10 : 0))
    for (let i = 0; i < n; i += 4) {
      x0[i] = NaN
      y[i] = missingTarget
    }
    return { x: frameOf([x0, x1]), y }
  }
  const params = { num_round: 20, max_depth: 2, eta: 0.3, nthread: 1 }

  it('routes missing values like the high values they behave like', async () => {
    const { x, y } = data(10)
    const model = await fitGbdt(binAll(x), y, params)
    // The first root splits x0 near 0.5 and sends missing values right, with the high values.
    expect([model.ensemble.feature[0], model.ensemble.defaultLeft[0]]).toEqual([0, 0])
    const p = model.predictRows(Float64Array.of(NaN, 0.5, 0.9, 0.5, 0.1, 0.5), 3)
    expect(p[0]).toBeGreaterThan(9)
    expect(Math.abs(p[0] - p[1])).toBeLessThan(0.5)
    expect(p[2]).toBeLessThan(1)
  })

  it('routes missing values like the low values they behave like', async () => {
    const { x, y } = data(0)
    const model = await fitGbdt(binAll(x), y, params)
    expect([model.ensemble.feature[0], model.ensemble.defaultLeft[0]]).toEqual([0, 1])
    const p = model.predictRows(Float64Array.of(NaN, 0.5, 0.1, 0.5, 0.9, 0.5), 3)
    expect(p[0]).toBeLessThan(1)
    expect(Math.abs(p[0] - p[1])).toBeLessThan(0.5)
    expect(p[2]).toBeGreaterThan(9)
  })

  // XGBoost's hist split finder also tries "every value left, missing right", so a feature whose
  // only signal is being missing still splits. findBestSplit stops one bin short of that split
  // (there is no cut above the last value bin to use as a threshold), so here no tree splits and
  // every prediction stays at the base score 5.
  it('splits on missingness alone, as XGBoost does', async () => {
    const x0 = Float64Array.from({ length: 200 }, (_, i) => (i % 2 === 1 ? NaN : 1))
    const y = Float64Array.from(x0, (v) => (Number.isNaN(v) ? 10 : 0))
    const model = await fitGbdt(binAll(frameOf([x0])), y, { num_round: 10, nthread: 1 })
    const [present, missing] = model.predictRows(Float64Array.of(1, NaN), 2)
    expect(present).toBeLessThan(0.5)
    expect(missing).toBeGreaterThan(9.5)
  })

  it('sends missing values to the heavier child when training saw none', async () => {
    const rng = new Rng(5)
    const x0 = uniform(rng, 500)
    for (const [cut, low] of [
      [0.7, true],
      [0.3, false],
    ] as const) {
      const y = Float64Array.from(x0, (v) => (v < cut ? 0 : 10))
      const model = await fitGbdt(binAll(frameOf([x0])), y, { ...params, max_depth: 1 })
      const nan = model.predictRows(Float64Array.of(NaN), 1)[0]
      // 70% of rows on the low side: missing goes low; 70% on the high side: missing goes high.
      if (low) expect(nan).toBeLessThan(1)
      else expect(nan).toBeGreaterThan(9)
    }
  })
})

describe('tree shape limits', () => {
  it('lossguide grows at most max_leaves leaves per tree', async () => {
    const { binned, y } = await dataset('breast_cancer')
    const model = await fitGbdt(binned, y, {
      objective: 'binary:logistic',
      grow_policy: 'lossguide',
      max_leaves: 5,
      max_depth: 0,
      num_round: 10,
      nthread: 1,
    })
    const leaves = treeShapes(model.ensemble).map((s) => s.leaves)
    expect(leaves).toHaveLength(10)
    expect(Math.max(...leaves)).toBe(5)
  })

  it('depthwise grows at most max_depth levels, and at most max_leaves leaves when both are set', async () => {
    const { binned, y } = await dataset('diabetes')
    const deep = await fitGbdt(binned, y, { max_depth: 3, num_round: 10, nthread: 1 })
    const depths = treeShapes(deep.ensemble).map((s) => s.depth)
    expect(Math.max(...depths)).toBe(3)
    const capped = await fitGbdt(binned, y, { max_depth: 4, max_leaves: 6, num_round: 10, nthread: 1 })
    const shapes = treeShapes(capped.ensemble)
    expect(Math.max(...shapes.map((s) => s.leaves))).toBe(6)
    expect(Math.max(...shapes.map((s) => s.depth))).toBeLessThanOrEqual(4)
  })

  it('refuses depthwise growth with neither max_depth nor max_leaves', async () => {
    const { binned, y } = await dataset('diabetes')
    await expect(fitGbdt(binned, y, { max_depth: 0, num_round: 1 })).rejects.toThrow(ParamError)
  })
})

describe('classification', () => {
  it('multi:softprob gives class probabilities that sum to 1 (wine)', async () => {
    const { x, y, binned } = await dataset('wine')
    const model = await fitGbdt(binned, y, { objective: 'multi:softprob', num_class: 3, num_round: 30, max_depth: 3, nthread: 1 })
    expect(model.nOutputs).toBe(3)
    expect(model.task).toBe('multiclass')
    // One tree per class per round, writing to outputs 0, 1, 2 in turn.
    expect(model.ensemble.treeStart.length).toBe(90)
    expect(Array.from(model.ensemble.treeOutput.subarray(0, 6))).toEqual([0, 1, 2, 0, 1, 2])
    const p = model.predict(x)
    expect(p.length).toBe(3 * x.nRows)
    let worst = 0
    for (let r = 0; r < x.nRows; r++) worst = Math.max(worst, Math.abs(p[3 * r] + p[3 * r + 1] + p[3 * r + 2] - 1))
    expect(worst).toBeLessThan(1e-12)
    expect(getMetric('accuracy').compute(y, p, 3)).toBeGreaterThan(0.98)
  })

  it('binary:logistic reaches a training AUC above 0.99 (breast cancer)', async () => {
    const { x, y, binned } = await dataset('breast_cancer')
    const model = await fitGbdt(binned, y, { objective: 'binary:logistic', num_round: 30, max_depth: 3, nthread: 1 })
    const p = model.predict(x)
    expect(p.every((v) => v > 0 && v < 1)).toBe(true)
    expect(getMetric('auc').compute(y, p, 2)).toBeGreaterThan(0.99)
    // predict = sigmoid(predictMargin).
    const m = model.predictMargin(x)
    expect(bits(p)).toEqual(bits(applyLink('sigmoid', m, 1)))
  })
})

describe('every objective reduces its loss from the base margin', () => {
  const softplus = (v: number) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)))
  /** Mean loss of margins (row-major n x k) on the margin scale, written independently of the objectives. */
  const losses: Record<ObjectiveName, (y: Float64Array, m: Float64Array) => number> = {
    'reg:squarederror': (y, m) => mean(y, (v, i) => 0.5 * (m[i] - v) ** 2),
    'reg:pseudohubererror': (y, m) => mean(y, (v, i) => Math.sqrt(1 + (m[i] - v) ** 2) - 1),
    'reg:absoluteerror': (y, m) => mean(y, (v, i) => Math.abs(m[i] - v)),
    'count:poisson': (y, m) => mean(y, (v, i) => Math.exp(m[i]) - v * m[i]),
    'binary:logistic': (y, m) => mean(y, (v, i) => v * softplus(-m[i]) + (1 - v) * softplus(m[i])),
    'multi:softprob': (y, m) =>
      mean(y, (v, i) => {
        const row = Array.from(m.subarray(3 * i, 3 * i + 3))
        const max = Math.max(...row)
        return Math.log(row.reduce((s, z) => s + Math.exp(z - max), 0)) + max - row[v]
      }),
  }
  function mean(y: Float64Array, f: (v: number, i: number) => number): number {
    let s = 0
    for (let i = 0; i < y.length; i++) s += f(y[i], i)
    return s / y.length
  }

  /** Count data: y ~ Poisson(exp(0.3 + 1.5 x0)). */
  function poissonData() {
    const rng = new Rng(3)
    const n = 600
    const x0 = uniform(rng, n)
    const y = Float64Array.from(x0, (v) => {
      const lambda = Math.exp(0.3 + 1.5 * v)
      let k = 0
      for (let p = Math.exp(-lambda), s = p, u = rng.next(); u > s; s += p) p *= lambda / ++k
      return k
    })
    return { x: frameOf([x0, uniform(rng, n)]), y }
  }

  const cases: [ObjectiveName, () => Promise<{ x: Frame; y: Float64Array }>, Record<string, unknown>][] = [
    ['reg:squarederror', () => dataset('diabetes'), {}],
    // Scaled targets keep the pseudo-Huber loss in its curved region (slope 1).
    ['reg:pseudohubererror', async () => {
      const d = await dataset('diabetes')
      return { x: d.x, y: d.y.map((v) => v / 50) }
    }, {}],
    ['reg:absoluteerror', () => dataset('diabetes'), {}],
    ['count:poisson', async () => poissonData(), {}],
    ['binary:logistic', () => dataset('breast_cancer'), {}],
    ['multi:softprob', () => dataset('wine'), { num_class: 3 }],
  ]
  for (const [objective, load, extra] of cases) {
    it(objective, async () => {
      const { x, y } = await load()
      const model = await fitGbdt(binAll(x), y, { objective, num_round: 20, max_depth: 3, nthread: 1, ...extra })
      const margins = model.predictMargin(x)
      const k = model.nOutputs
      const base = new Float64Array(margins.length)
      for (let i = 0; i < base.length; i++) base[i] = model.ensemble.baseMargin[i % k]
      const before = losses[objective](y, base)
      const after = losses[objective](y, margins)
      expect(after).toBeLessThan(0.9 * before)
    })
  }
})

describe('early stopping', () => {
  /** Train/validation frames from a 30% holdout, binned on the training rows only. */
  async function split(name: 'breast_cancer' | 'wine') {
    const { x, y } = await dataset(name)
    const [fold] = holdout(x.nRows, 0.3, 1)
    const trainX = takeRows(x, fold.train)
    const validX = takeRows(x, fold.test)
    const mapper = fitBins(trainX)
    return {
      train: binFrame(trainX, mapper),
      trainY: Float64Array.from(fold.train, (r) => y[r]),
      valid: binFrame(validX, mapper),
      validX,
      validY: Float64Array.from(fold.test, (r) => y[r]),
    }
  }

  for (const [name, params, nOutputs] of [
    ['breast_cancer', { objective: 'binary:logistic' }, 1],
    ['wine', { objective: 'multi:softprob', num_class: 3 }, 3],
  ] as const) {
    it(`stops early and keeps the trees up to the best round (${name})`, async () => {
      const s = await split(name)
      const history: number[] = []
      const numRound = 500
      const model = await fitGbdt(
        s.train,
        s.trainY,
        { ...params, num_round: numRound, eta: 0.3, max_depth: 3, early_stopping_rounds: 5, nthread: 1 },
        { evalSet: { data: s.valid, y: s.validY }, onRound: (_round, value) => history.push(value) },
      )
      const best = model.bestIteration
      expect(best).toBeLessThan(numRound - 1)
      expect(model.ensemble.treeStart.length).toBe((best + 1) * nOutputs)
      // It ran exactly 5 rounds past the best one, none of them better.
      expect(history.length).toBe(best + 6)
      const min = Math.min(...history)
      expect(history.indexOf(min)).toBe(best)
      // The kept model scores the best round's value on the eval set, predicting raw values.
      const metric = getMetric(nOutputs === 1 ? 'logloss' : 'mlogloss')
      const score = metric.compute(s.validY, model.predict(s.validX), nOutputs === 1 ? 2 : 3)
      expect(score).toBeCloseTo(min, 12)
    })
  }
})

describe('serialisation', () => {
  async function fitted(): Promise<{ model: GbdtModel; x: Frame }> {
    const { x, y } = await dataset('breast_cancer')
    // Some missing values, so default directions matter.
    const columns = x.columns.map((c) => numericColumn(c.name, Float64Array.from(numericView(c), (v, i) => (i % 7 === 3 ? NaN : v))))
    const withMissing = makeFrame(columns)
    const model = await fitGbdt(binAll(withMissing), y, { objective: 'binary:logistic', num_round: 15, max_depth: 4, nthread: 1 })
    return { model, x: withMissing }
  }

  it('fromState(toState()) predicts bit for bit the same', async () => {
    const { model, x } = await fitted()
    const state = model.toState()
    expect(state.trees).toBeInstanceOf(Uint8Array)
    const back = GbdtModel.fromState(state)
    expect(bits(back.predict(x))).toEqual(bits(model.predict(x)))
    expect(bits(back.predictMargin(x))).toEqual(bits(model.predictMargin(x)))
    expect(back.importance('total_gain')).toEqual(model.importance('total_gain'))
    expect([back.bestIteration, back.objective, back.link, back.task]).toEqual([model.bestIteration, model.objective, model.link, model.task])
    // A structured clone (postMessage, IndexedDB) works too.
    expect(bits(GbdtModel.fromState(structuredClone(state)).predict(x))).toEqual(bits(model.predict(x)))
  })

  it('survives JSON once the tree bytes are carried as base64', async () => {
    const { model, x } = await fitted()
    const { trees, ...rest } = model.toState()
    const json = JSON.stringify({ ...rest, trees: Buffer.from(trees).toString('base64') })
    const parsed = JSON.parse(json) as Omit<GbdtState, 'trees'> & { trees: string }
    const back = GbdtModel.fromState({ ...parsed, trees: new Uint8Array(Buffer.from(parsed.trees, 'base64')) })
    expect(bits(back.predict(x))).toEqual(bits(model.predict(x)))
    expect(back.params).toEqual(model.params)
  })

  it('decode(encode(ensemble)) predicts bit for bit the same, multi-output included', async () => {
    const { model, x } = await fitted()
    const wine = await dataset('wine')
    const multi = await fitGbdt(wine.binned, wine.y, { objective: 'multi:softprob', num_class: 3, num_round: 5, nthread: 1 })
    for (const [m, frame] of [
      [model, x],
      [multi, wine.x],
    ] as const) {
      const rows = new Float64Array(frame.nRows * frame.columns.length)
      frame.columns.forEach((c, f) => numericView(c).forEach((v, r) => (rows[r * frame.columns.length + f] = v)))
      const decoded = decodeTreeEnsemble(encodeTreeEnsemble(m.ensemble))
      expect(bits(predictMargins(decoded, rows, frame.nRows))).toEqual(bits(predictMargins(m.ensemble, rows, frame.nRows)))
      expect(bits(predictMargins(decoded, rows, frame.nRows))).toEqual(bits(m.predictMargin(frame)))
    }
  })

  it('fromState refuses another kind, another version, or feature names that do not fit the trees', async () => {
    const { model } = await fitted()
    const state = model.toState()
    expect(() => GbdtModel.fromState({ ...state, kind: 'forest' as 'gbdt' })).toThrow(/kind/)
    expect(() => GbdtModel.fromState({ ...state, version: 99 })).toThrow(/version/)
    expect(() => GbdtModel.fromState({ ...state, featureNames: state.featureNames.slice(1) })).toThrow(/feature names/)
    expect(() => GbdtModel.fromState({ ...state, trees: state.trees.subarray(1) })).toThrow(Error)
  })
})

describe('determinism', () => {
  const sampling = { subsample: 0.8, colsample_bytree: 0.7, colsample_bynode: 0.5, num_round: 20, max_depth: 4, nthread: 1 }

  it('gives identical bytes for the same seed and different ones for another seed', async () => {
    const { binned, y } = await dataset('breast_cancer')
    const fit = async (seed: number) => encodeTreeEnsemble((await fitGbdt(binned, y, { objective: 'binary:logistic', seed, ...sampling })).ensemble)
    const a = await fit(7)
    const b = await fit(7)
    const c = await fit(8)
    expect(Buffer.compare(a, b)).toBe(0)
    expect(Buffer.compare(a, c)).not.toBe(0)
  })

  it('gives identical bytes with either kernels (WebAssembly, JavaScript) on 1, 2 and 3 threads, on data large enough to split across threads', async () => {
    // 60 000 rows: nodes this large are cut into several parts shared with the worker threads.
    // 6 features pack a row's codes into two 32-bit words, 9 into three (the scatter's general case).
    // Quantised gradients too: discretised in parts, integer histograms, two-byte pairs moved.
    const rng = new Rng(21)
    const n = 60_000
    const data = (nFeatures: number) => {
      const cols = Array.from({ length: nFeatures }, () => Float64Array.from({ length: n }, () => rng.normal()))
      for (let i = 0; i < n; i += 13) cols[2][i] = NaN
      const y = Float64Array.from({ length: n }, (_, i) => 2 * cols[0][i] + Math.sin(3 * cols[1][i]) + (cols[2][i] > 0 ? 1 : 0) + 0.3 * rng.normal())
      return { binned: binAll(frameOf(cols)), y }
    }
    const params = { num_round: 10, max_depth: 6, subsample: 0.8, colsample_bynode: 0.8, seed: 3 }
    const lossguide = { ...params, grow_policy: 'lossguide', max_leaves: 24, max_depth: 0 }
    const quantised = { ...params, use_quantized_grad: true }
    const quantisedLossguide = { ...lossguide, use_quantized_grad: true, num_grad_quant_bins: 16, stochastic_rounding: false, quant_train_renew_leaf: true }
    const six = data(6)
    // Start the worker pools, then give them a moment to come up, so the fits below use them.
    await Promise.all([fitGbdt(six.binned, six.y, { ...params, num_round: 1, nthread: 2 }), fitGbdt(six.binned, six.y, { ...params, num_round: 1, nthread: 3 })])
    await new Promise((resolve) => setTimeout(resolve, 500))
    const before = trainingKernels()
    try {
      // Three classes from the regression target: K = 3 trees a round, gathered per output.
      const classes = { binned: six.binned, y: six.y.map((v) => (v < -0.5 ? 0 : v < 1 ? 1 : 2)) }
      const softprob = { ...params, objective: 'multi:softprob', num_class: 3, num_round: 4 }
      const quantisedSoftprob = { ...softprob, use_quantized_grad: true, num_grad_quant_bins: 127 }
      const references = new Map<object, Uint8Array>()
      for (const [{ binned, y }, settings] of [
        [six, [params, lossguide, quantised]],
        [data(9), [params, quantisedLossguide]],
        [classes, [softprob, quantisedSoftprob]],
      ] as const) {
        for (const p of settings) {
          setTrainingKernels('js')
          const reference = encodeTreeEnsemble((await fitGbdt(binned, y, { ...p, nthread: 1 })).ensemble)
          references.set(p, reference)
          for (const kernels of ['js', 'wasm'] as const) {
            setTrainingKernels(kernels)
            for (const nthread of [1, 2, 3]) {
              const bytes = encodeTreeEnsemble((await fitGbdt(binned, y, { ...p, nthread })).ensemble)
              const what = `${kernels} kernels, ${nthread} threads, ${binned.nFeatures} features, ${'grow_policy' in p ? p.grow_policy : 'depthwise'}${'use_quantized_grad' in p ? ', quantised' : ''}`
              expect(Buffer.compare(bytes, reference), what).toBe(0)
            }
          }
        }
      }
      // Quantised gradients grow other trees than float ones.
      expect(Buffer.compare(references.get(quantised)!, references.get(params)!)).not.toBe(0)
      expect(Buffer.compare(references.get(quantisedSoftprob)!, references.get(softprob)!)).not.toBe(0)
    } finally {
      setTrainingKernels(before)
    }
  })
})

describe('parameters', () => {
  it('accepts XGBoost and scikit-learn aliases', async () => {
    const { binned, y } = await dataset('diabetes')
    const model = await fitGbdt(binned, y, { learning_rate: 0.1, n_estimators: 7, reg_lambda: 2, nthread: 1 })
    expect([model.params.eta, model.params.num_round, model.params.lambda]).toEqual([0.1, 7, 2])
    expect(model.ensemble.treeStart.length).toBe(7)
    expect(parseParams(gbdtParams, gbdtAliases, { min_split_loss: 0.5, reg_alpha: 1, random_state: 4 })).toMatchObject({ gamma: 0.5, alpha: 1, seed: 4 })
  })

  it('refuses an unknown parameter, suggesting the closest name', async () => {
    const { binned, y } = await dataset('diabetes')
    const err = await fitGbdt(binned, y, { max_dept: 3 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ParamError)
    expect((err as ParamError).message).toMatch(/unknown parameter 'max_dept'; did you mean 'max_depth'\?/)
    expect((err as ParamError).location.field).toBe('params.max_dept')
    expect(() => parseParams(gbdtParams, gbdtAliases, { learning_rat: 0.1 })).toThrow(/did you mean 'learning_rate'/)
  })

  it('refuses a name set twice through an alias, and values out of bounds, naming the field', () => {
    expect(() => parseParams(gbdtParams, gbdtAliases, { eta: 0.1, learning_rate: 0.2 })).toThrow(ParamError)
    for (const [key, value] of [
      ['num_grad_quant_bins', 1],
      ['num_grad_quant_bins', 128],
      ['num_grad_quant_bins', 4.5],
      ['use_quantized_grad', 'yes'],
      ['quant_train_renew_leaf', 1],
      ['stochastic_rounding', 'false'],
      ['eta', 0],
      ['learning_rate', 1.5],
      ['subsample', 0],
      ['max_bin', 300],
      ['max_depth', 2.5],
      ['objective', 'reg:linear'],
    ] as const) {
      const err = (() => {
        try {
          parseParams(gbdtParams, gbdtAliases, { [key]: value })
        } catch (e) {
          return e
        }
      })()
      expect(err, key).toBeInstanceOf(ParamError)
      expect((err as ParamError).location.field).toBe(`params.${key}`)
    }
  })

  it('has quantised training off by default, with LightGBM\'s defaults for its options', () => {
    expect(parseParams(gbdtParams, gbdtAliases, {})).toMatchObject({
      use_quantized_grad: false,
      num_grad_quant_bins: 4,
      quant_train_renew_leaf: false,
      stochastic_rounding: true,
    })
    const err = (() => {
      try {
        parseParams(gbdtParams, gbdtAliases, { num_grad_quant_bins: 200 })
      } catch (e) {
        return e as ParamError
      }
    })()
    expect(err?.message).toMatch(/num_grad_quant_bins/)
    expect(err?.message).toMatch(/127/)
  })

  it('refuses a quantised-training option while use_quantized_grad is off, since it would do nothing', () => {
    for (const [key, value] of [['num_grad_quant_bins', 16], ['quant_train_renew_leaf', true], ['stochastic_rounding', false]] as const) {
      let err: unknown = null
      try {
        parseLearnerParams(gbdtLearner, { [key]: value })
      } catch (e) {
        err = e
      }
      expect(err, key).toBeInstanceOf(ParamError)
      expect((err as ParamError).location.field).toBe(`params.${key}`)
      expect((err as ParamError).message).toMatch(/use_quantized_grad: true/)
      expect(parseLearnerParams(gbdtLearner, { [key]: value, use_quantized_grad: true })[key]).toBe(value)
    }
  })

  it('does not change the params object it is given', async () => {
    const { binned, y } = await dataset('diabetes')
    const raw = { learning_rate: 0.2, num_round: 3, subsample: 0.9, nthread: 1 }
    const snapshot = structuredClone(raw)
    const model = await fitGbdt(binned, y, Object.freeze(raw))
    expect(raw).toEqual(snapshot)
    // Nor does the model share it.
    expect(model.params).not.toBe(raw)
  })
})

describe('bad targets', () => {
  const frame = frameOf([Float64Array.of(1, 2, 3, 4)])
  const binned = binAll(frame)
  const fails = (y: number[], params: Record<string, unknown>) => fitGbdt(binned, Float64Array.from(y), { num_round: 1, nthread: 1, ...params })

  it('refuses non-finite targets', async () => {
    await expect(fails([1, NaN, 2, 3], {})).rejects.toThrow(DataError)
    await expect(fails([1, Infinity, 2, 3], {})).rejects.toThrow(DataError)
  })

  it('refuses binary targets other than 0 and 1', async () => {
    await expect(fails([0, 1, 2, 1], { objective: 'binary:logistic' })).rejects.toThrow(DataError)
    await expect(fails([0, 1, 0.5, 1], { objective: 'binary:logistic' })).rejects.toThrow(DataError)
    await expect(fails([0, 1, 0, 1], { objective: 'binary:logistic' })).resolves.toBeInstanceOf(GbdtModel)
  })

  it('refuses class ids outside 0..num_class-1 or not integers', async () => {
    const multi = { objective: 'multi:softprob', num_class: 3 }
    await expect(fails([0, 1, 3, 2], multi)).rejects.toThrow(DataError)
    await expect(fails([0, -1, 2, 2], multi)).rejects.toThrow(DataError)
    await expect(fails([0, 1.5, 2, 2], multi)).rejects.toThrow(DataError)
    await expect(fails([0, 1, 2, 2], multi)).resolves.toBeInstanceOf(GbdtModel)
  })

  it('refuses negative counts and a target of the wrong length', async () => {
    await expect(fails([0, 1, -1, 2], { objective: 'count:poisson' })).rejects.toThrow(DataError)
    await expect(fitGbdt(binned, Float64Array.of(1, 2, 3), { num_round: 1 })).rejects.toThrow(DataError)
  })

  // multi:softprob without num_class is a usage error, but it surfaces as a plain RangeError from
  // makeObjective instead of a ParamError naming the field.
  it('refuses multi:softprob without num_class as a parameter error', async () => {
    await expect(fails([0, 1, 2, 2], { objective: 'multi:softprob' })).rejects.toThrow(ParamError)
  })
})

describe('feature importance', () => {
  it('ranks a feature with signal above one without', async () => {
    const rng = new Rng(9)
    const n = 500
    const signal = uniform(rng, n)
    const noise = uniform(rng, n)
    const y = Float64Array.from(signal, (v) => 5 * v + 0.5 * rng.normal())
    const x = makeFrame([numericColumn('noise', noise), numericColumn('signal', signal)])
    const model = await fitGbdt(binAll(x), y, { num_round: 20, max_depth: 3, nthread: 1 })
    const gain = model.importance('gain')
    expect(gain.get('signal')).toBeGreaterThan(gain.get('noise') ?? 0)
    const total = model.importance('total_gain')
    const weight = model.importance('weight')
    expect(total.get('signal')).toBeGreaterThan(total.get('noise') ?? 0)
    // gain is total_gain per split.
    for (const [name, w] of weight) expect(gain.get(name)).toBeCloseTo(total.get(name)! / w, 9)
    // Weights count the splits in the ensemble.
    let splits = 0
    for (const l of model.ensemble.left) if (l >= 0) splits++
    expect([...weight.values()].reduce((a, b) => a + b, 0)).toBe(splits)
  })
})
