/**
 * Reading a model state field by field, so a corrupt or hand-edited state is a BundleError that
 * names the model kind and the field, never a TypeError deep in prediction (an HTTP 500 on a
 * server). A newer state version is told apart from a corrupt one.
 */
import { BundleError } from '../../errors.js'
import type { Task } from '../../task.js'

const TASKS: readonly Task[] = ['regression', 'binary', 'multiclass']

/**
 * Checks a state's kind and version, then hands out its fields with their types checked.
 * @example
 * const r = new StateReader(state, ['gbdt'], 1)
 * const trees = r.bytes('trees')
 */
export class StateReader {
  readonly kind: string
  private readonly state: Readonly<Record<string, unknown>>

  constructor(state: unknown, kinds: readonly string[], version: number) {
    if (typeof state !== 'object' || state === null || Array.isArray(state)) throw new BundleError(`a ${kinds.join(' or ')} state must be an object`)
    const s = state as Readonly<Record<string, unknown>>
    if (typeof s.kind !== 'string' || !kinds.includes(s.kind)) throw new BundleError(`not a ${kinds.join(' or ')} state: kind '${String(s.kind)}'`, { field: 'kind' })
    this.kind = s.kind
    this.state = s
    const v = s.version
    if (typeof v === 'number' && Number.isInteger(v) && v > version) {
      throw new BundleError(`${this.kind} state version ${v} is newer than this version of consort reads (${version}); upgrade consort`, { field: 'version' }, 'unsupported_bundle_version')
    }
    if (v !== version) throw new BundleError(`unsupported ${this.kind} state version ${String(v)} (this version reads ${version})`, { field: 'version' })
  }

  /** A BundleError about field `key`. */
  error(key: string, message: string): BundleError {
    return new BundleError(`${this.kind} state: ${message}`, { field: key })
  }

  string(key: string): string {
    const v = this.state[key]
    if (typeof v !== 'string') throw this.error(key, `'${key}' must be a string`)
    return v
  }

  number(key: string): number {
    const v = this.state[key]
    if (typeof v !== 'number') throw this.error(key, `'${key}' must be a number`)
    return v
  }

  /** A positive integer (a count of members, outputs, classes). */
  count(key: string): number {
    const v = this.state[key]
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw this.error(key, `'${key}' must be a positive integer`)
    return v
  }

  nullableNumber(key: string): number | null {
    return this.state[key] === null ? null : this.number(key)
  }

  strings(key: string): string[] {
    const v = this.state[key]
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw this.error(key, `'${key}' must be a list of strings`)
    return v as string[]
  }

  numbers(key: string): number[] {
    const v = this.state[key]
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'number')) throw this.error(key, `'${key}' must be a list of numbers`)
    return v as number[]
  }

  bytes(key: string): Uint8Array {
    return this.typed(key, 'Uint8Array') as Uint8Array
  }

  float64(key: string): Float64Array {
    return this.typed(key, 'Float64Array') as Float64Array
  }

  /** A plain object (parameters, fit details), passed through as it is. */
  record(key: string): Readonly<Record<string, unknown>> {
    const v = this.state[key]
    if (typeof v !== 'object' || v === null || Array.isArray(v) || ArrayBuffer.isView(v)) throw this.error(key, `'${key}' must be an object`)
    return v as Readonly<Record<string, unknown>>
  }

  /** A list of anything, each item checked by the caller. */
  list(key: string): readonly unknown[] {
    const v = this.state[key]
    if (!Array.isArray(v)) throw this.error(key, `'${key}' must be a list`)
    return v
  }

  oneOf<const T extends readonly string[]>(key: string, values: T): T[number] {
    const v = this.state[key]
    if (typeof v !== 'string' || !values.includes(v)) throw this.error(key, `'${key}' must be one of ${values.join(', ')}, not ${JSON.stringify(v)}`)
    return v
  }

  task(): Task {
    return this.oneOf('task', TASKS)
  }

  /** A typed array of class `tag`, recognised across realms by its tag, not by `instanceof`. */
  private typed(key: string, tag: string): ArrayBufferView {
    const v = this.state[key]
    if (!ArrayBuffer.isView(v) || Object.prototype.toString.call(v) !== `[object ${tag}]`) throw this.error(key, `'${key}' must be a ${tag}`)
    return v
  }
}
