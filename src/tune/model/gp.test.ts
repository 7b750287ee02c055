import { describe, expect, it } from 'vitest'
import { Rng } from '../../rng.js'
import { GaussianProcess, negLogPosterior } from './gp.js'

function data(n: number, dims: number, seed: number, f: (p: Float64Array) => number): { x: Float64Array; y: Float64Array } {
  const rng = new Rng(seed)
  const x = Float64Array.from({ length: n * dims }, () => rng.next())
  const y = Float64Array.from({ length: n }, (_, i) => f(x.subarray(i * dims, i * dims + dims)))
  return { x, y }
}

const smooth = (p: Float64Array): number => Math.sin(6 * p[0]) + 0.5 * (p[1] - 0.3) ** 2

describe('GaussianProcess', () => {
  it('has the analytic gradient of its negative log posterior', () => {
    const { x, y } = data(15, 3, 1, (p) => smooth(p) + p[2])
    const theta = Float64Array.of(Math.log(0.3), Math.log(0.7), Math.log(1.5), 0.2, Math.log(0.01))
    const grad = new Float64Array(5)
    negLogPosterior(x, y, 3, theta, grad)
    const scratch = new Float64Array(5)
    for (let k = 0; k < 5; k++) {
      const h = 1e-6
      const up = theta.slice()
      const down = theta.slice()
      up[k] += h
      down[k] -= h
      const numeric = (negLogPosterior(x, y, 3, up, scratch) - negLogPosterior(x, y, 3, down, scratch)) / (2 * h)
      expect(grad[k]).toBeCloseTo(numeric, 4)
    }
  })

  it('interpolates a smooth function and predicts it between the points', () => {
    const { x, y } = data(40, 2, 2, smooth)
    const gp = GaussianProcess.fit(x, y, 2, new Rng(1))
    for (let i = 0; i < 40; i++) {
      const p = gp.predict(x, i * 2)
      expect(p.mean).toBeCloseTo(y[i], 2)
      expect(p.sd).toBeLessThan(0.05)
    }
    const rng = new Rng(3)
    let worst = 0
    for (let t = 0; t < 50; t++) {
      const q = Float64Array.of(0.1 + 0.8 * rng.next(), 0.1 + 0.8 * rng.next())
      worst = Math.max(worst, Math.abs(gp.predict(q).mean - smooth(q)))
    }
    expect(worst).toBeLessThan(0.1)
    // The irrelevant second input (a small quadratic) gets the longer length scale.
    expect(gp.hyper.lengthScales[1]).toBeGreaterThan(gp.hyper.lengthScales[0])
  })

  it('is more certain near its data than far from it', () => {
    const { x, y } = data(10, 2, 4, smooth)
    const gp = GaussianProcess.fit(x, y, 2, new Rng(1))
    expect(gp.predict(x, 0).sd).toBeLessThan(gp.predict(Float64Array.of(x[0] + 0.3, x[1] - 0.3)).sd)
  })

  it('takes an extra observation as a refit with the same hyperparameters would', () => {
    const { x, y } = data(12, 2, 5, smooth)
    const gp = GaussianProcess.fit(x.subarray(0, 22), y.subarray(0, 11), 2, new Rng(1))
    const grown = gp.withObservation(x.subarray(22, 24), y[11])!
    expect(grown.n).toBe(12)
    const q = Float64Array.of(0.4, 0.6)
    const direct = gp.predict(x, 22)
    expect(grown.predict(x, 22).sd).toBeLessThan(direct.sd)
    const again = grown.predict(q)
    // The same posterior computed from scratch, on standardised values as the model keeps them.
    const mean = y.subarray(0, 11).reduce((a, b) => a + b, 0) / 11
    const scale = Math.sqrt(y.subarray(0, 11).reduce((a, b) => a + (b - mean) ** 2, 0) / 10)
    const scratch = GaussianProcess.withHyperparameters(x.slice(0, 24), Float64Array.from(y, (v) => (v - mean) / scale), 2, gp.hyper).predict(q)
    expect(again.mean).toBeCloseTo(mean + scale * scratch.mean, 10)
    expect(again.sd).toBeCloseTo(scale * scratch.sd, 10)
  })

  it('fits its hyperparameters on a subset of a long history, then conditions on every point', () => {
    const { x, y } = data(90, 2, 8, smooth)
    const gp = GaussianProcess.fit(x, y, 2, new Rng(1), { maxFitPoints: 30 })
    expect(gp.n).toBe(90)
    for (let i = 0; i < 90; i += 7) expect(gp.predict(x, i * 2).mean).toBeCloseTo(y[i], 2)
    expect(GaussianProcess.fit(x, y, 2, new Rng(1), { maxFitPoints: 30 }).hyper).toEqual(gp.hyper)
  })

  it('is deterministic for a seed', () => {
    const { x, y } = data(20, 3, 6, (p) => smooth(p) * p[2])
    const a = GaussianProcess.fit(x, y, 3, new Rng(7))
    const b = GaussianProcess.fit(x, y, 3, new Rng(7))
    expect(a.hyper).toEqual(b.hyper)
  })
})
