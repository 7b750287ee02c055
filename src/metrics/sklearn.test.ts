// Every metric in the registry against scikit-learn, on cases made by fixtures/sklearn-cases.py
// (ties, constant predictions, probabilities of exactly 0 and 1, weights, tiny and huge
// magnitudes, labels to refuse). The expected values are committed, so no Python runs here.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DataError } from '../errors.js'
import { getMetric, METRIC_NAMES } from './registry.js'

interface PeerCase {
  readonly metric: string
  readonly k: number
  readonly y: number[]
  readonly pred: number[]
  readonly weights?: number[]
  readonly expected?: number | string
  readonly error?: boolean
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/sklearn-cases.json', import.meta.url), 'utf8')) as {
  peer: string
  cases: PeerCase[]
}

function score(c: PeerCase): number {
  const weights = c.weights === undefined ? undefined : Float64Array.from(c.weights)
  return getMetric(c.metric).compute(Float64Array.from(c.y), Float64Array.from(c.pred), c.k, weights)
}

/** Equal within 1e-10 relative (summation order differs from numpy's pairwise sums), or both the same non-finite. */
function agrees(actual: number, expected: number | string): boolean {
  const e = typeof expected === 'string' ? Number(expected) : expected
  if (!Number.isFinite(e)) return Object.is(actual, e) || (Number.isNaN(actual) && Number.isNaN(e))
  return Math.abs(actual - e) <= 1e-10 * Math.max(1, Math.abs(e))
}

describe(`metrics against ${fixture.peer}`, () => {
  it('covers every metric in the registry, with inputs the peer refuses', () => {
    expect(new Set(fixture.cases.map((c) => c.metric))).toEqual(new Set(METRIC_NAMES))
    expect(fixture.cases.filter((c) => c.error).length).toBeGreaterThan(10)
  })

  for (const metric of METRIC_NAMES) {
    const cases = fixture.cases.filter((c) => c.metric === metric)
    it(`${metric}: ${cases.length} cases agree with the peer`, () => {
      const wrong: string[] = []
      for (const [i, c] of cases.entries()) {
        if (c.error) {
          let threw: unknown
          try {
            score(c)
          } catch (err) {
            threw = err
          }
          if (!(threw instanceof DataError)) wrong.push(`case ${i}: the peer refuses y=${JSON.stringify(c.y)}; consort gave ${String(threw ?? score(c))}`)
          continue
        }
        const actual = score(c)
        if (!agrees(actual, c.expected!)) wrong.push(`case ${i}: ${actual} vs the peer's ${c.expected} (n=${c.y.length}, weights: ${c.weights !== undefined})`)
      }
      expect(wrong).toEqual([])
    })
  }
})
