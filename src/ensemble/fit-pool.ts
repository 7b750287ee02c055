/**
 * Fits on worker threads: a pool of workers that each hold the job's data (shared memory, sent
 * once) and run queued fits one at a time, single threaded. Parallelism across fits suits a
 * cross-validation job: members x folds are independent, none waits on another, and a fit on one
 * thread wastes nothing on synchronisation.
 */
import type { Worker } from 'node:worker_threads'
import { sharedCopy, shareFrame } from '../data/share.js'
import type { PreparedTrainingData } from '../learners/training-data.js'
import { errorFromData } from '../exec/error-transfer.js'
import type { FitReply, FitRequest, FromFitWorker, ToFitWorker } from './fit-tasks.js'
import { startWorker } from '../exec/worker.js'

interface Pending {
  readonly id: number
  readonly request: FitRequest
  readonly onProgress?: (step: number, total: number) => void
  readonly resolve: (reply: FitReply) => void
  readonly reject: (err: Error) => void
}

interface Slot {
  readonly worker: Worker
  running: Pending | null
  /** Bin counts whose binning this worker has. */
  readonly binnings: Set<number>
}

export class FitPool {
  private readonly slots: Slot[] = []
  private readonly queue: Pending[] = []
  private nextId = 1
  private failure: Error | null = null

  /**
   * Starts `workers` threads and sends each the job's data and targets (moved to shared memory
   * first when they are not there yet). Binnings follow, each binned once in this thread (counted
   * as the job's) and sent to a worker before its first fit that reads it.
   * @example
   * const pool = new FitPool(2, data, y)
   * const reply = await pool.fit({ kind: 'gbdt', params, task: 'regression', nClasses: 1, rows, predictRows, keepModel: false })
   * await pool.close()
   */
  constructor(
    workers: number,
    private readonly data: PreparedTrainingData,
    y: Float64Array,
  ) {
    const message: ToFitWorker = { type: 'data', frame: shareFrame(data.frame), y: sharedCopy(y) }
    for (let i = 0; i < workers; i++) {
      const worker = startWorker(import.meta.url, './fit-worker', {})
      const slot: Slot = { worker, running: null, binnings: new Set() }
      worker.on('message', (m: FromFitWorker) => this.receive(slot, m))
      worker.on('error', (err) => this.fail(err))
      worker.on('exit', (code) => this.fail(new Error(`a fit worker exited with code ${code}`)))
      worker.postMessage(message)
      // Listening refs the worker again; only a worker running a fit may hold the process open.
      worker.unref()
      this.slots.push(slot)
    }
  }

  get size(): number {
    return this.slots.length
  }

  /** Queues a fit; it runs on the first free worker, in the order fits were queued. */
  fit(request: FitRequest, onProgress?: (step: number, total: number) => void): Promise<FitReply> {
    if (this.failure) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, request, onProgress, resolve, reject })
      this.dispatch()
    })
  }

  /** Stops every worker; fits still queued or running are rejected with `reason`. */
  async close(reason: Error = new Error('the fit pool was closed')): Promise<void> {
    this.fail(reason)
    await Promise.all(this.slots.map((s) => s.worker.terminate()))
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return
      if (slot.running) continue
      const next = this.queue.shift()!
      slot.running = next
      const { maxBin } = next.request
      if (maxBin !== null && !slot.binnings.has(maxBin)) {
        slot.worker.postMessage({ type: 'binning', maxBin, binned: this.data.binnedAt(maxBin) } satisfies ToFitWorker)
        slot.binnings.add(maxBin)
      }
      // A busy worker must keep the process alive; an idle one must not.
      slot.worker.ref()
      slot.worker.postMessage({ type: 'fit', id: next.id, request: next.request } satisfies ToFitWorker)
    }
  }

  private receive(slot: Slot, message: FromFitWorker): void {
    const pending = slot.running
    if (!pending || pending.id !== message.id) return
    if (message.type === 'progress') return pending.onProgress?.(message.step, message.total)
    slot.running = null
    slot.worker.unref()
    if (message.type === 'done') pending.resolve(message.reply)
    else pending.reject(errorFromData(message.error))
    this.dispatch()
  }

  /** A crashed worker or a close fails everything in flight: a job's fits stand or fall together. */
  private fail(err: Error): void {
    if (this.failure) return
    this.failure = err
    for (const slot of this.slots) {
      slot.running?.reject(err)
      slot.running = null
      slot.worker.unref()
    }
    for (const p of this.queue.splice(0)) p.reject(err)
  }
}
