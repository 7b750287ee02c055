/**
 * What a batch pool's worker threads run: a program module, named by URL, whose default export
 * keeps a worker's state from the setup messages it is sent and runs one task of a batch at a
 * time. The pool knows nothing else of it, so one worker file serves every learner.
 */

/** A task's reply: a value sent back to the calling thread after the batch (forest trees, say). */
export interface TaskReply {
  readonly value: unknown
  /** Buffers to move rather than copy. */
  readonly transfer?: readonly ArrayBuffer[]
}

export interface BatchProgram<State = unknown, Setup = unknown> {
  /** The worker's state after a setup message (new buffers, a new job); `state` is null at first. */
  receive(state: State | null, message: Setup): State
  /** Runs task `task` of the current batch; what it returns reaches the caller's {@link BatchRun.replies}. */
  run(state: State, task: number): TaskReply | void
}

/** A program module: the URL a worker imports it from (see {@link programModule}). */
export interface ProgramRef {
  readonly url: string
}

/**
 * The program module `name` (without extension) beside the module `here` (pass `import.meta.url`):
 * `.ts` when running from sources, `.js` when compiled, as worker files are.
 * @example const KERNELS = programModule(import.meta.url, './kernel-program')
 */
export function programModule(here: string, name: string): ProgramRef {
  return { url: new URL(`${name}${here.endsWith('.ts') ? '.ts' : '.js'}`, here).href }
}
