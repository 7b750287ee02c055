/**
 * onnxruntime sessions with a synchronous `run`. `Model.predict` is synchronous and
 * onnxruntime-node's `InferenceSession.run` is not, so the sessions live in one worker thread:
 * the caller posts a request on a MessagePort and blocks on `Atomics.wait` over a shared flag
 * until the worker has posted its reply, which it then takes with `receiveMessageOnPort`. The
 * cost is one thread hop per call (tens of microseconds), paid once per frame, not per row.
 */
import { createRequire } from 'node:module'
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads'
import { BundleError, DataError } from '../../errors.js'

/** A tensor crossing the thread boundary: onnxruntime's type name, its data and its dims. */
export interface WireTensor {
  readonly type: 'float32' | 'float64' | 'int64' | 'int32' | 'string' | 'bool'
  readonly data: Float32Array | Float64Array | BigInt64Array | Int32Array | string[] | Uint8Array
  readonly dims: readonly number[]
}

// Plain JavaScript run with eval, so the worker needs no TypeScript loader in tests or in dist/.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads')
const ort = require(workerData.ort)
const { port, flag } = workerData
const sessions = new Map()
const plain = (t) => ({ type: t.type, data: t.data, dims: t.dims })
port.on('message', async (req) => {
  let reply
  try {
    if (req.op === 'open') {
      const options = { intraOpNumThreads: 1, interOpNumThreads: 1, executionProviders: ['cpu'] }
      const s = await ort.InferenceSession.create(req.bytes, options)
      sessions.set(req.id, s)
      reply = { inputNames: s.inputNames, outputNames: s.outputNames }
    } else if (req.op === 'run') {
      const s = sessions.get(req.id)
      const feeds = {}
      for (const [k, v] of Object.entries(req.feeds)) feeds[k] = new ort.Tensor(v.type, v.data, v.dims)
      // Every output is fetched and the wanted ones picked by name: given a list of names,
      // onnxruntime-node 1.22 returns the first outputs under the wrong names.
      const out = await s.run(feeds)
      reply = { outputs: Object.fromEntries(req.fetch.map((k) => [k, plain(out[k])])) }
    } else if (req.op === 'close') {
      // Sent when a model is collected; nobody waits, so no reply (it would wake the next call).
      const s = sessions.get(req.id)
      sessions.delete(req.id)
      if (s) await s.release()
      return
    }
  } catch (e) {
    reply = { error: String((e && e.message) || e) }
  }
  // Output buffers are moved, not copied (those onnxruntime allocated for this run alone).
  const moved = Object.values(reply.outputs || {}).map((t) => t.data.buffer).filter((b) => b instanceof ArrayBuffer)
  port.postMessage({ ...reply, seq: req.seq }, [...new Set(moved)])
  Atomics.store(flag, 0, 1)
  Atomics.notify(flag, 0)
})
`

/** How long a call may block before it is given up (a session creation on a large model included). */
const TIMEOUT_MS = 120_000

interface Channel {
  readonly port: MessagePort
  readonly flag: Int32Array
}

let channel: Channel | undefined
let nextId = 1

function open(): Channel {
  if (channel) return channel
  const { port1, port2 } = new MessageChannel()
  const flag = new Int32Array(new SharedArrayBuffer(4))
  const ort = createRequire(import.meta.url).resolve('onnxruntime-node')
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ort, port: port2, flag }, transferList: [port2] })
  // The worker must not keep the process alive, nor take it down: a call that finds it gone fails.
  worker.unref()
  worker.on('error', () => {
    channel = undefined
  })
  channel = { port: port1, flag }
  return channel
}

let nextSeq = 1

function call(request: Record<string, unknown>, what: string, transfer: ArrayBuffer[] = []): Record<string, unknown> {
  const { port, flag } = open()
  const seq = nextSeq++
  Atomics.store(flag, 0, 0)
  port.postMessage({ ...request, seq }, transfer)
  const deadline = Date.now() + TIMEOUT_MS
  for (;;) {
    // The flag says a reply was posted; replies are taken in order and matched by sequence number.
    const left = deadline - Date.now()
    if (left <= 0 || Atomics.wait(flag, 0, 0, left) === 'timed-out') throw new DataError(`onnxruntime did not answer within ${TIMEOUT_MS / 1000} s (${what})`)
    Atomics.store(flag, 0, 0)
    let reply: Record<string, unknown> | undefined
    while ((reply = receiveMessageOnPort(port)?.message as Record<string, unknown> | undefined)) {
      if (reply.seq !== seq) continue
      if (typeof reply.error === 'string') throw new DataError(`onnxruntime: ${reply.error} (${what})`)
      return reply
    }
  }
}

const sessions = new FinalizationRegistry<number>((id) => {
  // The model was collected: free its session (asynchronously, nobody waits for the answer).
  channel?.port.postMessage({ op: 'close', id })
})

/**
 * One onnxruntime session, run synchronously.
 * @example
 * const s = SyncSession.create(bytes, 'model.onnx')
 * s.run({ input: { type: 'float32', data: x, dims: [n, 10] } }, ['variable']).variable.data
 */
export class SyncSession {
  private constructor(
    private readonly id: number,
    readonly inputNames: readonly string[],
    readonly outputNames: readonly string[],
    private readonly file: string,
  ) {}

  /** Opens a session on the model bytes; a model onnxruntime refuses is a BundleError naming the file. */
  static create(bytes: Uint8Array, file: string): SyncSession {
    const id = nextId++
    let reply: Record<string, unknown>
    try {
      reply = call({ op: 'open', id, bytes }, `loading ${file}`)
    } catch (e) {
      throw e instanceof DataError ? new BundleError(e.detail, { file }) : e
    }
    const session = new SyncSession(id, reply.inputNames as string[], reply.outputNames as string[], file)
    sessions.register(session, id)
    return session
  }

  /**
   * Runs the graph on `feeds` and returns the outputs named in `fetch`. With `moveInputs`, the
   * feeds' buffers are transferred to the worker, not copied: the caller must not use them again.
   */
  run(feeds: Record<string, WireTensor>, fetch: readonly string[], moveInputs = false): Record<string, WireTensor> {
    const transfer = moveInputs ? [...new Set(Object.values(feeds).map((t) => (t.data as { buffer?: ArrayBufferLike }).buffer).filter((b) => b instanceof ArrayBuffer))] : []
    return call({ op: 'run', id: this.id, feeds, fetch }, `running ${this.file}`, transfer).outputs as Record<string, WireTensor>
  }
}
