/**
 * Worker thread of the {@link PredictPool}: keeps decoded tree ensembles by id and evaluates the
 * row ranges it is sent, reading inputs from and writing margins to shared memory.
 */
import { parentPort } from 'node:worker_threads'
import { decodeTreeEnsemble } from '../runtime/codec.js'
import { predictMargins, type TreeEnsemble } from '../runtime/tree-ensemble.js'
import type { PredictReply, PredictRequest } from './predict-pool.js'

const models = new Map<number, TreeEnsemble>()
const port = parentPort!

port.on('message', (msg: PredictRequest) => {
  if (msg.type === 'model') {
    models.set(msg.id, decodeTreeEnsemble(msg.bytes))
    return
  }
  if (msg.type === 'forget') {
    models.delete(msg.id)
    return
  }
  let reply: PredictReply
  try {
    const model = models.get(msg.id)
    if (!model) throw new Error(`unknown model ${msg.id}`)
    const nF = model.nFeatures
    const nOut = model.nOutputs
    const x = new Float64Array(msg.x, msg.start * nF * 8, (msg.end - msg.start) * nF)
    const out = new Float64Array(msg.out, msg.start * nOut * 8, (msg.end - msg.start) * nOut)
    predictMargins(model, x, msg.end - msg.start, out)
    reply = { job: msg.job, error: null }
  } catch (e) {
    reply = { job: msg.job, error: e instanceof Error ? e.message : String(e) }
  }
  port.postMessage(reply)
})
