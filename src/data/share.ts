/**
 * Frames in shared memory: a frame whose columns live in SharedArrayBuffers is posted to worker
 * threads without copying, so every worker of a job reads the one copy of the data.
 */
import { type Column, categoricalColumn, type Frame, makeFrame, numericColumn } from './frame.js'

/**
 * The frame with every column in shared memory: columns already shared are kept as they are,
 * others are copied once.
 * @example
 * const shared = shareFrame(await readFrame('train.csv'))
 * worker.postMessage({ frame: shared }) // the worker sees the same memory
 */
export function shareFrame(frame: Frame): Frame {
  if (frame.columns.every(isShared)) return frame
  return makeFrame(
    frame.columns.map((c): Column =>
      isShared(c) ? c : c.type === 'numeric' ? numericColumn(c.name, shared(c.values, Float64Array)) : categoricalColumn(c.name, shared(c.codes, Int32Array), c.categories),
    ),
  )
}

/**
 * A copy of `values` backed by a SharedArrayBuffer (returned as is when it already is).
 * @example const y = sharedCopy(target) // post it to workers without copying
 */
export function sharedCopy<T extends Float64Array | Int32Array>(values: T): T {
  return (values.buffer instanceof SharedArrayBuffer ? values : shared(values, values.constructor as ArrayConstructorOf<T>)) as T
}

type ArrayConstructorOf<T> = new (buffer: SharedArrayBuffer, byteOffset: number, length: number) => T

function isShared(c: Column): boolean {
  return (c.type === 'numeric' ? c.values : c.codes).buffer instanceof SharedArrayBuffer
}

function shared<T extends Float64Array | Int32Array>(values: T, Kind: ArrayConstructorOf<T>): T {
  const out = new Kind(new SharedArrayBuffer(values.byteLength), 0, values.length)
  out.set(values)
  return out
}
