/**
 * The shared control block of a batch of parts run by a calling thread and its worker threads:
 * workers sleep on `Seq`, take parts from the lanes, report on `Done`. Every parallel kernel in
 * consort uses this layout.
 *
 * Lanes give a batch's tasks an affinity: participant l (the caller is 0, worker i is i + 1) takes
 * the tasks of its own lane first, then steals from the others. A learner that gives each thread
 * the same rows batch after batch keeps those rows in that core's cache; on machines whose cores
 * share no cache, reading what another core just wrote costs twice a read from one's own.
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
  /** Lanes of the current batch (participants: the caller and the workers taking part). */
  Lanes = 1,
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

/** Int32s per lane in the lane block: one cache line, so lanes' counters never share one. */
export const LANE_WORDS = 16
const enum Lane {
  /** Tasks taken from the lane so far. */
  Taken = 0,
  Start = 1,
  End = 2,
}

/** A lane block for `participants` threads. */
export function laneBlock(participants: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * LANE_WORDS * participants))
}

/**
 * Sets the lanes of a batch of `count` tasks: lane l holds tasks [ends[l - 1], ends[l]) (the first
 * from 0); without `ends`, lane 0 holds them all and the others steal.
 */
export function setLanes(control: Int32Array, lanes: Int32Array, nLanes: number, count: number, ends?: ArrayLike<number>): void {
  if (ends && ends.length !== nLanes) throw new Error(`a batch over ${nLanes} lanes was given ${ends.length} lane ends`)
  for (let l = 0, start = 0; l < nLanes; l++) {
    const end = ends ? ends[l] : count
    const o = l * LANE_WORDS
    Atomics.store(lanes, o + Lane.Start, start)
    Atomics.store(lanes, o + Lane.End, end)
    Atomics.store(lanes, o + Lane.Taken, 0)
    start = end
  }
  Atomics.store(control, BatchControl.Lanes, nLanes)
}

/** The next task for participant `lane`: its own lane's first, then the others'; `count` when none are left. */
export function takeTask(control: Int32Array, lanes: Int32Array, lane: number, count: number): number {
  const nLanes = Atomics.load(control, BatchControl.Lanes)
  for (let i = 0; i < nLanes; i++) {
    const o = ((lane + i) % nLanes) * LANE_WORDS
    const start = lanes[o + Lane.Start]
    const end = lanes[o + Lane.End]
    if (start >= end) continue
    const t = start + Atomics.add(lanes, o + Lane.Taken, 1)
    if (t < end) return t
  }
  return count
}

/** Lets no further task of the current batch be taken. */
export function closeLanes(lanes: Int32Array, nLanes: number): void {
  for (let l = 0; l < nLanes; l++) Atomics.store(lanes, l * LANE_WORDS + Lane.Taken, 1 << 30)
}
