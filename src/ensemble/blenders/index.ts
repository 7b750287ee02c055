/**
 * The built-in blenders, registered on first import: `mean`, `weighted`, `stack`, `vote`.
 * Import blenders from here so the registry is complete.
 */
import { meanBlender } from './mean.js'
import { blenderKinds, registerBlender } from './registry.js'
import { stackBlender } from './stack.js'
import type { BlenderSpec } from './types.js'
import { voteBlender } from './vote.js'
import { weightedBlender } from './weighted.js'

const BUILT_IN: readonly BlenderSpec[] = [meanBlender, weightedBlender, stackBlender, voteBlender] as BlenderSpec[]
for (const spec of BUILT_IN) if (!blenderKinds().includes(spec.kind)) registerBlender(spec)

export { blenderKinds, getBlender, getBlenderSpec, registerBlender } from './registry.js'
export { blenderFromState } from '../../runtime/blend/registry.js'
export { caruanaSelect, type Selection } from './caruana.js'
export { hardVote } from '../../runtime/blend/vote.js'
export { nnls, normalEquations, type NormalEquations } from './nnls.js'
export type { BlendContext, BlendModel, BlendState, Blender, BlenderSpec, Task } from './types.js'
