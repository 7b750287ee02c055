/**
 * What a task pool's worker threads run: a program module, named by URL, whose default export
 * takes setup messages (a job's data, sent once) and runs one task at a time, reporting progress.
 * A task is plain data in and plain data out, so a queue across machines can carry it too.
 */

/** A task's result, with the buffers to move rather than copy. */
export interface TaskResult<Reply> {
  readonly reply: Reply
  readonly transfer?: readonly ArrayBuffer[]
}

export interface TaskProgram<Setup = unknown, Request = unknown, Reply = unknown> {
  /** Takes a setup message, before the tasks that need it. */
  setup(message: Setup): void
  run(request: Request, progress: (step: number, total: number) => void): Promise<TaskResult<Reply>>
}
