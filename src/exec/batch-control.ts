/**
 * The shared control block of a batch of parts run by a calling thread and its worker threads:
 * workers sleep on `Seq`, take parts with an atomic `Next` counter, report on `Done`. Every
 * parallel kernel in consort uses this layout.
 *
 * Both sides spin briefly before they sleep, and wake the other side only when it sleeps: batches
 * follow each other within microseconds while a tree grows, and a futex wake of a sleeping
 * thread (a halted virtual CPU, on a cloud machine) costs more than the batch it starts.
 */
/** Atomic loads a thread spins on a control word before it sleeps (tens of microseconds). */
export const SPIN_LOADS = 20_000

export const enum BatchControl {
  /** Bumped once per batch; workers sleep on it. */
  Seq = 0,
  /** Next part (or task) to take. */
  Next = 1,
  /** Workers finished with the current batch. */
  Done = 2,
  /** Parts in the current batch. */
  Count = 3,
  /** Set to 1 to stop the workers. */
  Exit = 4,
  /** Workers that have started and take part in batches. */
  Ready = 5,
  /** Set by a worker whose part threw (its error is on its port, read by the caller after the batch); the batch's results are not to be trusted. */
  Failed = 6,
  /** Workers asleep on `Seq`: the caller wakes them only when some are. */
  Sleepers = 7,
  /** 1 while the caller sleeps on `Done`: the last worker to finish wakes it only then. */
  CallerWaiting = 8,
  Size = 9,
}
