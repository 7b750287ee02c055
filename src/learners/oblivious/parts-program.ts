/**
 * The batch program of an oblivious fit's worker threads: the latest job (a level's histogram
 * pass, a tree's bootstrap weights) is the state, and a task is one part of it.
 */
import type { BatchProgram } from '../../exec/batch-program.js'
import { type PoolJob, runTask } from './parts.js'

const program: BatchProgram<PoolJob, PoolJob> = {
  receive: (_, job) => job,
  run: (job, t) => runTask(job, t),
}
export default program
