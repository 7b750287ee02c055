/**
 * Predictions as text rows, the same columns in CSV and in JSON Lines:
 *
 * | task | columns |
 * |---|---|
 * | regression | `prediction` |
 * | binary | `probability` (of class 1), `label` (1 when the probability is above 0.5, else 0) |
 * | multiclass | `probability_0` ... `probability_<k-1>`, `label` (the most probable class, the lowest id on ties) |
 *
 * The label rule is scikit-learn's `predict` (and the `vote` blender's), so the label of a row is
 * the class a metric reads back from its probabilities. Numbers are written in their shortest
 * round-trip form (`String(x)`), so reading the file back gives the exact predicted values. A
 * missing value (NaN) is an empty CSV field or a JSON `null`, and so is its label; so is an
 * infinite value in JSON, which has no spelling for it.
 *
 * Rows are formatted a chunk at a time into one string, so a writer makes one write per chunk.
 */
import type { Task } from '../task.js'

/**
 * Output formats of predictions.
 * @example
 * const format: PredictionFormat = 'jsonl'
 */
export type PredictionFormat = 'csv' | 'jsonl'

/**
 * The names of the columns a prediction is written as (see the table above).
 * @example
 * predictionColumns('multiclass', 3) // ['probability_0', 'probability_1', 'probability_2', 'label']
 * predictionColumns('regression', 1) // ['prediction']
 */
export function predictionColumns(task: Task, nOutputs: number): string[] {
  if (task === 'regression') return ['prediction']
  if (task === 'binary') return ['probability', 'label']
  return [...Array.from({ length: nOutputs }, (_, k) => `probability_${k}`), 'label']
}

/**
 * Formats prediction arrays (row-major `n x nOutputs`, as `LoadedEnsemble.predict` returns them)
 * as CSV or JSON Lines text, one chunk at a time.
 * @example
 * const text = new PredictionText('binary', 1, 'jsonl')
 * text.rows(Float64Array.of(0.9, 0.2)) // '{"probability":0.9,"label":1}\n{"probability":0.2,"label":0}\n'
 */
export class PredictionText {
  readonly columns: readonly string[]
  private readonly task: Task
  private readonly nOutputs: number
  private readonly format: PredictionFormat
  /** What comes before each value of a row, for the JSON Lines keys. */
  private readonly prefixes: readonly string[]

  constructor(task: Task, nOutputs: number, format: PredictionFormat) {
    if (task !== 'multiclass' && nOutputs !== 1) throw new RangeError(`a ${task} prediction has 1 output, not ${nOutputs}`)
    this.task = task
    this.nOutputs = nOutputs
    this.format = format
    this.columns = predictionColumns(task, nOutputs)
    this.prefixes = this.columns.map((name, j) => (format === 'csv' ? (j === 0 ? '' : ',') : `${j === 0 ? '{' : ','}${JSON.stringify(name)}:`))
  }

  /** The header line: the column names for CSV, nothing for JSON Lines. */
  header(): string {
    return this.format === 'csv' ? this.columns.join(',') + '\n' : ''
  }

  /** The rows of `pred`, each ended by a line break. */
  rows(pred: Float64Array): string {
    const width = this.nOutputs
    if (pred.length % width !== 0) throw new RangeError(`${pred.length} values do not make rows of ${width}`)
    const n = pred.length / width
    const json = this.format === 'jsonl'
    const end = json ? '}\n' : '\n'
    const p = this.prefixes
    let text = ''
    if (this.task === 'regression') {
      for (let i = 0; i < n; i++) text += p[0] + this.number(pred[i]) + end
      return text
    }
    if (this.task === 'binary') {
      for (let i = 0; i < n; i++) {
        const x = pred[i]
        text += p[0] + this.number(x) + p[1] + (Number.isNaN(x) ? this.missing() : x > 0.5 ? '1' : '0') + end
      }
      return text
    }
    for (let i = 0; i < n; i++) {
      const row = i * width
      let best = 0
      let missing = false
      for (let k = 0; k < width; k++) {
        const x = pred[row + k]
        if (Number.isNaN(x)) missing = true
        else if (x > pred[row + best]) best = k
        text += p[k] + this.number(x)
      }
      text += p[width] + (missing ? this.missing() : String(best)) + end
    }
    return text
  }

  private number(x: number): string {
    if (Number.isFinite(x)) return String(x)
    if (Number.isNaN(x)) return this.missing()
    return this.format === 'jsonl' ? 'null' : String(x)
  }

  private missing(): string {
    return this.format === 'jsonl' ? 'null' : ''
  }
}
