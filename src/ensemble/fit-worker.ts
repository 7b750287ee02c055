/**
 * A fit pool's worker thread: holds the job's shared data and runs one fit at a time, single
 * threaded (the pool's parallelism is across fits, so learners must not start threads of their own).
 */
import { parentPort } from 'node:worker_threads'
import type { BinnedFrame } from '../data/binning.js'
import { takeRows } from '../data/frame.js'
import { getLearner } from '../learners/index.js'
import { prepareTrainingData } from '../learners/training-data.js'
import type { TrainingData } from '../learners/types.js'
import { errorToData } from '../exec/error-transfer.js'
import type { FitRequest, FitReply, FromFitWorker, ToFitWorker } from './fit-tasks.js'

/** Progress messages at most this often (a booster reports every round). */
const PROGRESS_INTERVAL_MS = 100

const port = parentPort!
let job: { data: TrainingData; y: Float64Array } | null = null
/** The binnings the pool sent, by bin count: the job binned them once, in its own thread. */
const binnings = new Map<number, BinnedFrame>()

port.on('message', (message: ToFitWorker) => {
  if (message.type === 'data') {
    job = { data: prepareTrainingData(message.frame, { binnings }), y: message.y }
    return
  }
  if (message.type === 'binning') {
    binnings.set(message.maxBin, message.binned)
    return
  }
  const { id, request } = message
  fit(id, request).then(
    (reply) => post({ type: 'done', id, reply }, reply.predictions ? [reply.predictions.buffer as ArrayBuffer] : []),
    (err: unknown) => post({ type: 'failed', id, error: errorToData(err) }),
  )
})

async function fit(id: number, request: FitRequest): Promise<FitReply> {
  if (!job) throw new Error('fit before the job data was sent')
  const t0 = performance.now()
  let lastReport = 0
  const learner = getLearner(request.kind)
  const model = await learner.fit(job.data, job.y, request.params, {
    task: request.task,
    nClasses: request.nClasses,
    rows: request.rows,
    evalSet: request.evalRows ? { data: job.data, y: job.y, rows: request.evalRows } : undefined,
    seed: request.seed,
    threads: 1,
    onProgress: (step, total) => {
      const now = performance.now()
      if (step < total && now - lastReport < PROGRESS_INTERVAL_MS) return
      lastReport = now
      post({ type: 'progress', id, step, total })
    },
  })
  const predictions = request.predictRows ? model.predict(takeRows(job.data.frame, request.predictRows)) : null
  const early = learner.earlyStopping
  const rounds = request.evalRows && early?.enabled(request.params) ? early.rounds(model) : null
  return { state: request.keepModel ? model.toState() : null, predictions, nOutputs: model.nOutputs, rounds, seconds: (performance.now() - t0) / 1000 }
}

function post(message: FromFitWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer)
}
