/**
 * The batch program of a forest fit's worker threads: the state is a grower over the shared
 * binned data, and task t grows tree t, which is moved back to the fitting thread.
 */
import type { BatchProgram, TaskReply } from '../../exec/batch-program.js'
import { ForestGrower, type ForestData, type GrownForestTree, type TreeConfig } from './grower.js'

export interface ForestSetup {
  readonly data: ForestData
  readonly config: TreeConfig
}

/** A grown tree's buffers, moved rather than copied. */
export function treeBuffers(tree: GrownForestTree): ArrayBuffer[] {
  return [tree.feature.buffer, tree.bin.buffer, tree.left.buffer, tree.defaultLeft.buffer, tree.value.buffer] as ArrayBuffer[]
}

const program: BatchProgram<ForestGrower, ForestSetup> = {
  receive: (_, { data, config }) => new ForestGrower(data, config),
  run(grower, t): TaskReply {
    const tree = grower.grow(t)
    return { value: tree, transfer: treeBuffers(tree) }
  },
}
export default program
