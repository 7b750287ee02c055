/**
 * Metrics from a script's log, SageMaker's way: every `metric_definitions` regex is tried on every
 * line; the first capture group (or the whole match when the regex has none) is the value. Keeps
 * every value in order (the series) and reports the last one as the metric.
 */
import { ParamError } from '../../errors.js'
import type { MetricDefinition } from '../spec/types.js'

/** A plain decimal number; hex, `1_000`, `Infinity` and friends are not metric values. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/

/**
 * Collects metric values from log lines.
 * @example
 * const capture = new MetricCapture([{ Name: 'validation:rmse', Regex: 'rmse=([0-9.]+)' }])
 * capture.scan('epoch 1 rmse=60.1')
 * capture.scan('epoch 2 rmse=55.4')
 * capture.metrics() // { 'validation:rmse': 55.4 }
 * capture.series()  // { 'validation:rmse': [60.1, 55.4] }
 */
export class MetricCapture {
  private readonly definitions: readonly { readonly name: string; readonly regex: RegExp }[]
  // A Map, so a metric named like an Object.prototype key is just a name.
  private readonly values = new Map<string, number[]>()

  /** Compiles every regex; one that does not compile is a ParamError naming its definition. */
  constructor(definitions: readonly MetricDefinition[]) {
    this.definitions = definitions.map((d, i) => {
      try {
        return { name: d.Name, regex: new RegExp(d.Regex) }
      } catch (e) {
        throw new ParamError(`metric regex '${d.Regex}' does not compile: ${(e as Error).message}`, { field: `estimator.metric_definitions.${i}.Regex` })
      }
    })
  }

  /** Applies every definition to one line (first match on the line); non-numeric captures are ignored. */
  scan(line: string): void {
    for (const { name, regex } of this.definitions) {
      const match = regex.exec(line)
      if (match === null) continue
      const text = (match.length > 1 ? match[1] : match[0])?.trim()
      if (text === undefined || !DECIMAL.test(text)) continue
      const value = Number(text)
      if (!Number.isFinite(value)) continue
      const series = this.values.get(name)
      if (series) series.push(value)
      else this.values.set(name, [value])
    }
  }

  /** The last value of every metric seen so far. */
  metrics(): Record<string, number> {
    return Object.fromEntries([...this.values].map(([name, series]) => [name, series[series.length - 1]]))
  }

  /** Every value of every metric seen so far, in log order. */
  series(): Record<string, number[]> {
    return Object.fromEntries([...this.values].map(([name, series]) => [name, [...series]]))
  }
}
