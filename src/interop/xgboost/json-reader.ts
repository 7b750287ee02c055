/**
 * Typed reads of a parsed JSON model, each failure a BundleError naming the file and the field's
 * path (`learner.gradient_booster.model.trees[3].split_type`).
 */
import { BundleError } from '../../errors.js'

/**
 * A cursor on one JSON value with its path.
 * @example const param = new JsonReader(json, 'model.json').at('learner').at('learner_model_param')
 */
export class JsonReader {
  constructor(
    readonly value: unknown,
    readonly file: string,
    readonly path: string = '',
  ) {}

  /** The error for this field. */
  error(message: string, child?: string | number): BundleError {
    return new BundleError(message, { file: this.file, field: this.childPath(child) || undefined })
  }

  has(key: string): boolean {
    return isObject(this.value) && Object.prototype.hasOwnProperty.call(this.value, key)
  }

  /** The field `key` of this object; absent is an error. */
  at(key: string): JsonReader {
    if (!isObject(this.value)) throw this.error('expected an object')
    if (!this.has(key)) throw this.error('is missing', key)
    return new JsonReader(this.value[key], this.file, this.childPath(key))
  }

  string(): string {
    if (typeof this.value !== 'string') throw this.error('expected a string')
    return this.value
  }

  /** A number, or a string holding one (XGBoost writes its parameters as strings). */
  number(): number {
    const v = typeof this.value === 'string' && this.value.trim() !== '' ? Number(this.value) : this.value
    if (typeof v !== 'number' || !Number.isFinite(v)) throw this.error(`expected a number, got ${JSON.stringify(this.value)}`)
    return v
  }

  /** A non-negative integer, or a string holding one. */
  count(): number {
    const v = this.number()
    if (!Number.isInteger(v) || v < 0) throw this.error(`expected a non-negative integer, got ${JSON.stringify(this.value)}`)
    return v
  }

  array(): JsonReader[] {
    if (!Array.isArray(this.value)) throw this.error('expected a list')
    return this.value.map((v, i) => new JsonReader(v, this.file, `${this.path}[${i}]`))
  }

  /** A list of `n` finite numbers (booleans as 0 and 1). */
  numbers(n: number): number[] {
    if (!Array.isArray(this.value)) throw this.error('expected a list')
    if (this.value.length !== n) throw this.error(`expected ${n} values, got ${this.value.length}`)
    return this.value.map((v, i) => {
      const x = typeof v === 'boolean' ? Number(v) : v
      if (typeof x !== 'number' || !Number.isFinite(x)) throw this.error(`expected a number, got ${JSON.stringify(v)}`, i)
      return x
    })
  }

  private childPath(child?: string | number): string {
    if (child === undefined) return this.path
    if (typeof child === 'number') return `${this.path}[${child}]`
    return this.path === '' ? child : `${this.path}.${child}`
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
