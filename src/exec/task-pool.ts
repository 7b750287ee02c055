/**
 * The message-based task pool: worker threads that each hold a job's data (sent once, in shared
 * memory) and run queued tasks one at a time, in queue order, on the first free worker. What a
 * task does is a program module the workers import (task-program.ts); the pool knows nothing
 * else of it. A worker's error reaches the caller with its class and stack; a crashed worker fails
 * every task in flight, since a job's tasks stand or fall together.
 */
import type { Worker } from 'node:worker_threads'
import { type ErrorData, errorFromData } from './error-transfer.js'
import type { ProgramRef } from './batch-program.js'
import { startWorker } from './worker.js'

export type ToTaskWorker = { readonly type: 'setup'; readonly message: unknown } | { readonly type: 'run'; readonly id: number; readonly request: unknown }

export type FromTaskWorker =
  | { readonly type: 'progress'; readonly id: number; readonly step: number; readonly total: number }
  | { readonly type: 'done'; readonly id: number; readonly reply: unknown }
  | { readonly type: 'failed'; readonly id: number; readonly error: ErrorData }

/** A setup message that a task needs its worker to have had, sent once per worker by key. */
export interface TaskNeed {
  readonly key: string
  readonly message: () => unknown
}

export interface TaskOptions {
  readonly onProgress?: (step: number, total: number) => void
  readonly needs?: readonly TaskNeed[]
}

interface Pending {
  readonly id: number
  readonly request: unknown
  readonly options: TaskOptions
  readonly resolve: (reply: unknown) => void
  readonly reject: (err: Error) => void
}

interface Slot {
  readonly worker: Worker
  running: Pending | null
  /** Keys of the needs this worker was sent. */
  readonly had: Set<string>
}

export class TaskPool<Request, Reply> {
  private readonly slots: Slot[] = []
  private readonly queue: Pending[] = []
  private nextId = 1
  private failure: Error | null = null

  /**
   * Starts `workers` threads running `program`.
   * @example
   * const pool = new TaskPool<FitRequest, FitReply>(2, FIT_PROGRAM)
   * pool.setup({ type: 'data', frame, y })
   * const reply = await pool.run(request)
   */
  constructor(workers: number, program: ProgramRef) {
    for (let i = 0; i < workers; i++) {
      const worker = startWorker(import.meta.url, './task-worker', { workerData: { program: program.url } })
      const slot: Slot = { worker, running: null, had: new Set() }
      worker.on('message', (m: FromTaskWorker) => this.receive(slot, m))
      worker.on('error', (err) => this.fail(err))
      worker.on('exit', (code) => this.fail(new Error(`a task worker exited with code ${code}`)))
      // Listening refs the worker again; only a worker running a task may hold the process open.
      worker.unref()
      this.slots.push(slot)
    }
  }

  /** Tasks it runs at once. */
  get size(): number {
    return this.slots.length
  }

  /** Sends every worker a setup message, before any task queued after it. */
  setup(message: unknown): void {
    for (const slot of this.slots) slot.worker.postMessage({ type: 'setup', message } satisfies ToTaskWorker)
  }

  /** Queues a task; it runs on the first free worker, in the order tasks were queued. */
  run(request: Request, options: TaskOptions = {}): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, request, options, resolve: resolve as (reply: unknown) => void, reject })
      this.dispatch()
    })
  }

  /** Stops every worker; tasks still queued or running are rejected with `reason`. */
  async close(reason: Error = new Error('the task pool was closed')): Promise<void> {
    this.fail(reason)
    await Promise.all(this.slots.map((s) => s.worker.terminate()))
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return
      if (slot.running) continue
      const next = this.queue.shift()!
      slot.running = next
      for (const need of next.options.needs ?? []) {
        if (slot.had.has(need.key)) continue
        slot.worker.postMessage({ type: 'setup', message: need.message() } satisfies ToTaskWorker)
        slot.had.add(need.key)
      }
      // A busy worker must keep the process alive; an idle one must not.
      slot.worker.ref()
      slot.worker.postMessage({ type: 'run', id: next.id, request: next.request } satisfies ToTaskWorker)
    }
  }

  private receive(slot: Slot, message: FromTaskWorker): void {
    const pending = slot.running
    if (!pending || pending.id !== message.id) return
    if (message.type === 'progress') return pending.options.onProgress?.(message.step, message.total)
    slot.running = null
    slot.worker.unref()
    if (message.type === 'done') pending.resolve(message.reply)
    else pending.reject(errorFromData(message.error))
    this.dispatch()
  }

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
