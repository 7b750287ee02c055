/**
 * Worker thread of a {@link BatchPool}. It sleeps on the shared batch counter; woken, it first
 * reads what the pool sent meanwhile (a program to import, setup messages for its state), then
 * takes tasks (its own lane's first) until none are left, posts their replies and reports done.
 * A task that throws is reported with its class and stack on the port, and the batch is marked
 * failed.
 */
import { type MessagePort, receiveMessageOnPort, workerData } from 'node:worker_threads'
import { BatchControl as Control, SPIN_LOADS, takeTask } from './batch-control.js'
import type { FromBatchWorker, ToBatchWorker } from './batch-pool.js'
import type { BatchProgram } from './batch-program.js'
import { errorToData } from './error-transfer.js'

const { control, lanes, lane, port } = workerData as { control: Int32Array; lanes: Int32Array; lane: number; port: MessagePort }
/** The program the pool loaded and the state its setup messages built. */
const current: { program: BatchProgram | null; state: unknown } = { program: null, state: null }

// The pool waits for every worker to be ready before its first batch, so `seq` is read before
// any batch starts.
let seq = Atomics.load(control, Control.Seq)
Atomics.add(control, Control.Ready, 1)
for (;;) {
  for (let spins = SPIN_LOADS; spins > 0 && Atomics.load(control, Control.Seq) === seq; spins--);
  if (Atomics.load(control, Control.Seq) === seq) {
    // Counted before sleeping: a batch begun meanwhile changed Seq, so the wait returns at once;
    // one begun after sees the count and wakes this thread.
    Atomics.add(control, Control.Sleepers, 1)
    Atomics.wait(control, Control.Seq, seq)
    Atomics.sub(control, Control.Sleepers, 1)
  }
  seq = Atomics.load(control, Control.Seq)
  if (Atomics.load(control, Control.Exit) === 1) break
  try {
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) await apply(m.message as ToBatchWorker)
    const { program, state } = current
    if (program === null || state === null) throw new Error('a batch arrived before its program and setup')
    const count = Atomics.load(control, Control.Count)
    for (let t = takeTask(control, lanes, lane, count); t < count; t = takeTask(control, lanes, lane, count)) {
      const reply = program.run(state, t)
      if (reply) port.postMessage({ type: 'reply', task: t, value: reply.value } satisfies FromBatchWorker, reply.transfer ?? [])
    }
  } catch (err) {
    port.postMessage({ type: 'batch-failed', error: errorToData(err) } satisfies FromBatchWorker)
    Atomics.store(control, Control.Failed, 1)
  }
  Atomics.add(control, Control.Done, 1)
  if (Atomics.load(control, Control.CallerWaiting) === 1) Atomics.notify(control, Control.Done)
}
port.close()

async function apply(msg: ToBatchWorker): Promise<void> {
  if (msg.type === 'program') {
    current.program = ((await import(msg.url)) as { default: BatchProgram }).default
    current.state = null
  } else if (current.program !== null) {
    current.state = current.program.receive(current.state, msg.message)
  }
}
