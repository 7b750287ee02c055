/**
 * Abort points for long synchronous loops (boosting rounds, trees). An AbortSignal is aborted by
 * events (Ctrl-C, a timeout, a message), and events are only delivered when the thread returns to
 * its event loop; a fit that never does cannot be stopped. So a loop passes an abort point each
 * step: every few tens of milliseconds it yields to the event loop, and it throws the signal's
 * reason once aborted.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'

/** Time between yields: short enough to stop promptly, long enough to cost nothing measurable. */
const INTERVAL_MS = 25

export class AbortPoint {
  private last = performance.now()

  /** @example const abortPoint = new AbortPoint(options.signal) */
  constructor(private readonly signal: AbortSignal | undefined) {}

  /**
   * Throws the abort reason when the signal is aborted, after yielding to the event loop when
   * the loop has run for a while without doing so. Free when there is no signal.
   * @example for (let round = 0; round < n; round++) { await abortPoint.pass(); grow() }
   */
  async pass(): Promise<void> {
    const { signal } = this
    if (signal === undefined) return
    if (performance.now() - this.last >= INTERVAL_MS) {
      await yieldToEventLoop()
      this.last = performance.now()
    }
    if (signal.aborted) throw abortReason(signal)
  }
}

/**
 * Why `signal` was aborted, as an Error (a reason given as another value becomes its message).
 * @example if (signal.aborted) throw abortReason(signal)
 */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason
  return reason instanceof Error ? reason : new Error(reason === undefined ? 'aborted' : String(reason))
}
