/**
 * The shared control block of a batch of parts run by a calling thread and its worker threads:
 * workers sleep on `Seq`, take parts with an atomic `Next` counter, report on `Done`. Every
 * parallel kernel in consort uses this layout.
 */
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
  Size = 7,
}
