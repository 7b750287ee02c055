/**
 * Helpers the data readers' tests share: frames as plain data and the DataError a parse throws.
 */
import { DataError } from '../../errors.js'
import type { Frame } from '../frame.js'

/** A frame as plain data, so `toEqual` compares values (NaN equal to NaN, -0 distinct from 0). */
export function plain(frame: Frame): unknown[] {
  return frame.columns.map((c) =>
    c.type === 'numeric' ? { name: c.name, values: Array.from(c.values) } : { name: c.name, codes: Array.from(c.codes), categories: [...c.categories] },
  )
}

/** The DataError `run` throws; any other outcome fails the test. */
export function errorOf(run: () => unknown): DataError {
  try {
    run()
  } catch (err) {
    if (err instanceof DataError) return err
    throw err
  }
  throw new Error('expected a DataError')
}

/** UTF-8 bytes of a string. */
export const encode = (s: string): Uint8Array => new TextEncoder().encode(s)
