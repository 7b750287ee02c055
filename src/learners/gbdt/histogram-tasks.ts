/**
 * The shared-memory protocol between the parallel histogram builder and its workers: a control
 * block of counters, a task list of (start, end, slot) triples, and arenas of histogram slots.
 * The main thread and the workers run the same {@link runHistogramTasks} loop.
 */
import { accumulateHistogram } from './histogram.js'

/** Indices into the shared control block. */
export const enum Control {
  /** Bumped once per batch; workers sleep on it. */
  Seq = 0,
  /** Next task to take. */
  Next = 1,
  /** Workers finished with the current batch. */
  Done = 2,
  /** Tasks in the current batch. */
  Count = 3,
  /** Set to 1 to stop the workers. */
  Exit = 4,
  /** Workers that have started and will take part in batches. */
  Ready = 5,
  /** Set by a worker whose task threw; the batch's results are not to be trusted. */
  Failed = 6,
  Size = 7,
}

export interface TaskInputs {
  codes: Uint8Array
  nFeatures: number
  offsets: Int32Array
  rows: Int32Array
  gh: Float64Array
  /** Doubles per histogram slot. */
  length: number
  slotsPerArena: number
}

export interface TaskState extends TaskInputs {
  arenas: Float64Array[]
  tasks: Int32Array
}

export type BuilderMessage =
  | { type: 'bind'; inputs: TaskInputs }
  | { type: 'arena'; index: number; buffer: SharedArrayBuffer }
  | { type: 'tasks'; buffer: SharedArrayBuffer }

/** View of histogram slot `slot`. */
export function slotView(state: Pick<TaskState, 'arenas' | 'length' | 'slotsPerArena'>, slot: number): Float64Array {
  const arena = state.arenas[Math.floor(slot / state.slotsPerArena)]
  const start = (slot % state.slotsPerArena) * state.length
  return arena.subarray(start, start + state.length)
}

/** Takes tasks off the shared list until it is empty; each fills its slot from zero. */
export function runHistogramTasks(state: TaskState, control: Int32Array): void {
  const count = Atomics.load(control, Control.Count)
  for (let t = Atomics.add(control, Control.Next, 1); t < count; t = Atomics.add(control, Control.Next, 1)) {
    const hist = slotView(state, state.tasks[3 * t + 2])
    hist.fill(0)
    accumulateHistogram(state.codes, state.nFeatures, state.offsets, state.rows, state.gh, state.tasks[3 * t], state.tasks[3 * t + 1], hist)
  }
}
