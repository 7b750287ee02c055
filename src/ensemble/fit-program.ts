/**
 * The task program of a fit pool's workers: holds the job's shared data and runs one fit at a
 * time, single threaded (the pool's parallelism is across fits, so learners must not start
 * threads of their own).
 */
import type { BinnedFrame } from '../data/binning.js'
import { takeRows } from '../data/frame.js'
import type { TaskProgram } from '../exec/task-program.js'
import { getLearner } from '../learners/index.js'
import { prepareTrainingData } from '../learners/training-data.js'
import type { TrainingData } from '../learners/types.js'
import type { FitReply, FitRequest, FitSetup } from './fit-tasks.js'

let job: { data: TrainingData; y: Float64Array } | null = null
/** The binnings the pool sent, by bin count: the job binned them once, in its own thread. */
const binnings = new Map<number, BinnedFrame>()

async function fit(request: FitRequest, progress: (step: number, total: number) => void): Promise<FitReply> {
  if (!job) throw new Error('fit before the job data was sent')
  const t0 = performance.now()
  const learner = getLearner(request.kind)
  const model = await learner.fit(job.data, job.y, request.params, {
    task: request.task,
    nClasses: request.nClasses,
    rows: request.rows,
    evalSet: request.evalRows ? { data: job.data, y: job.y, rows: request.evalRows } : undefined,
    seed: request.seed,
    threads: 1,
    onProgress: progress,
  })
  const predictions = request.predictRows ? model.predict(takeRows(job.data.frame, request.predictRows)) : null
  const early = learner.earlyStopping
  const rounds = request.evalRows && early?.enabled(request.params) ? early.rounds(model) : null
  return { state: request.keepModel ? model.toState() : null, predictions, nOutputs: model.nOutputs, rounds, seconds: (performance.now() - t0) / 1000 }
}

const program: TaskProgram<FitSetup, FitRequest, FitReply> = {
  setup(message) {
    if (message.type === 'data') job = { data: prepareTrainingData(message.frame, { binnings }), y: message.y }
    else binnings.set(message.maxBin, message.binned)
  },
  async run(request, progress) {
    const reply = await fit(request, progress)
    return { reply, transfer: reply.predictions ? [reply.predictions.buffer as ArrayBuffer] : [] }
  },
}
export default program
