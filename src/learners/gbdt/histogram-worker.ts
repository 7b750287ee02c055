/**
 * Worker thread of the parallel histogram builder. It sleeps on a shared counter, wakes for each
 * batch, first drains setup messages (new buffers) synchronously, then takes parts off the shared
 * task list until none are left, and reports done.
 */
import { type MessagePort, receiveMessageOnPort, workerData } from 'node:worker_threads'
import { runHistogramTasks, type BuilderMessage, Control, type TaskState } from './histogram-tasks.js'

const { control, port } = workerData as { control: Int32Array; port: MessagePort }
const state: TaskState = {
  codes: new Uint8Array(0),
  nFeatures: 0,
  offsets: new Int32Array(0),
  rows: new Int32Array(0),
  gh: new Float64Array(0),
  length: 0,
  slotsPerArena: 1,
  arenas: [],
  tasks: new Int32Array(0),
}

// Read the batch counter before announcing readiness: the main thread counts this worker only in
// batches started after both, and those bump the counter past `seq`.
let seq = Atomics.load(control, Control.Seq)
Atomics.add(control, Control.Ready, 1)
for (;;) {
  Atomics.wait(control, Control.Seq, seq)
  seq = Atomics.load(control, Control.Seq)
  try {
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) apply(m.message as BuilderMessage)
    if (Atomics.load(control, Control.Exit) === 1) break
    runHistogramTasks(state, control)
  } catch {
    Atomics.store(control, Control.Failed, 1)
  }
  Atomics.add(control, Control.Done, 1)
  Atomics.notify(control, Control.Done)
}
port.close()

function apply(msg: BuilderMessage): void {
  if (msg.type === 'bind') {
    Object.assign(state, msg.inputs, { arenas: [] })
  } else if (msg.type === 'arena') {
    state.arenas[msg.index] = new Float64Array(msg.buffer)
  } else {
    state.tasks = new Int32Array(msg.buffer)
  }
}
