/**
 * The batch program of a {@link KernelExecutor}'s worker threads: the state is bound to the
 * executor's shared memory by the first message, later messages hand over buffers it grew, and a
 * task is one entry of the shared task list.
 */
import type { BatchProgram } from '../../exec/batch-program.js'
import { bindState, type KernelMessage, type KernelState, runKernelTask } from './kernel-tasks.js'

function receive(state: KernelState | null, msg: KernelMessage): KernelState {
  if (msg.type === 'bind') return bindState(msg.inputs)
  if (state === null) throw new Error(`kernel message '${msg.type}' before bind`)
  if (msg.type === 'arena') state.arenas[msg.index] = msg.arena
  else if (msg.type === 'scratch' || msg.type === 'eval-scratch') Object.assign(state, msg.scratch)
  else if (msg.type === 'rules') state.rules = msg.rules
  else if (msg.type === 'margin') Object.assign(state, msg.target)
  else {
    state.gradients = msg.source
    state.codeSource = msg.codes
  }
  return state
}

const program: BatchProgram<KernelState, KernelMessage> = { receive, run: runKernelTask }
export default program
