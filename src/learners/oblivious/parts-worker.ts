/**
 * Worker thread of an oblivious fit: sleeps on the shared pass counter, takes the latest job from
 * its port (delivered before the wake-up), runs its tasks until none are left and reports done.
 */
import { type MessagePort, receiveMessageOnPort, workerData } from 'node:worker_threads'
import { reportBatchFailure } from '../../exec/batch-failure.js'
import { Ctl, type PoolJob, runTask } from './parts.js'

const { control, port } = workerData as { control: Int32Array; port: MessagePort }
let job: PoolJob | null = null

let seq = Atomics.load(control, Ctl.Seq)
Atomics.add(control, Ctl.Ready, 1)
for (;;) {
  Atomics.wait(control, Ctl.Seq, seq)
  seq = Atomics.load(control, Ctl.Seq)
  if (Atomics.load(control, Ctl.Exit) === 1) break
  try {
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) job = m.message as PoolJob
    if (job === null) throw new Error('pass before job')
    const count = Atomics.load(control, Ctl.Count)
    for (let t = Atomics.add(control, Ctl.Next, 1); t < count; t = Atomics.add(control, Ctl.Next, 1)) runTask(job, t)
  } catch (err) {
    reportBatchFailure(port, err)
    Atomics.store(control, Ctl.Failed, 1)
  }
  Atomics.add(control, Ctl.Done, 1)
  Atomics.notify(control, Ctl.Done)
}
port.close()
