/**
 * Worker thread of a {@link KernelExecutor}. It sleeps on the shared batch counter, wakes for each
 * batch, first drains setup messages (new buffers) synchronously, then runs tasks until none are
 * left, and reports done.
 */
import { type MessagePort, receiveMessageOnPort, workerData } from 'node:worker_threads'
import { reportBatchFailure } from '../../exec/batch-failure.js'
import { bindState, Control, type KernelMessage, type KernelState, runKernelTasks } from './kernel-tasks.js'

const { control, port } = workerData as { control: Int32Array; port: MessagePort }
let state: KernelState | null = null

// The pool waits for every worker to be ready before its first batch, so `seq` is read before
// any batch starts.
let seq = Atomics.load(control, Control.Seq)
Atomics.add(control, Control.Ready, 1)
for (;;) {
  Atomics.wait(control, Control.Seq, seq)
  seq = Atomics.load(control, Control.Seq)
  try {
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) apply(m.message as KernelMessage)
    if (Atomics.load(control, Control.Exit) === 1) break
    if (state === null) throw new Error('batch before bind')
    runKernelTasks(state, control)
  } catch (err) {
    reportBatchFailure(port, err)
    Atomics.store(control, Control.Failed, 1)
  }
  Atomics.add(control, Control.Done, 1)
  Atomics.notify(control, Control.Done)
}
port.close()

function apply(msg: KernelMessage): void {
  if (msg.type === 'bind') {
    state = bindState(msg.inputs)
  } else if (state !== null && msg.type === 'arena') {
    state.arenas[msg.index] = msg.arena
  } else if (state !== null && msg.type === 'scratch') {
    Object.assign(state, msg.scratch)
  } else if (state !== null && msg.type === 'margin') {
    Object.assign(state, msg.target)
  } else if (state !== null && msg.type === 'gradients') {
    state.gradients = msg.source
  }
}
