/**
 * Live updates of a job by server-sent events (`GET /api/jobs/ID/events`): the stream polls the
 * tracking store (which the job's own process writes) and sends what changed, so it works for a
 * job run by any process and keeps nothing a restart would lose. Events: `status` (the job's
 * status and a tuning job's counters), `trial` (one trial, new or changed, with its best so far)
 * and `end` once the job is no longer InProgress.
 */
import type { Context } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { TrackingStore } from '../../store/tracking/store.js'
import { HttpError } from './errors.js'
import { trialViews } from './tuning.js'

/**
 * Streams the events of job `id` every `pollMs`.
 * @throws HttpError `not_found` for an unknown job (before the stream starts).
 * @example app.get('/api/jobs/:id/events', (c) => jobEvents(c, store, c.req.param('id'), 1000))
 */
export function jobEvents(c: Context, store: TrackingStore, id: string, pollMs: number): Response {
  if (store.getJob(id) === undefined) throw new HttpError('not_found', `no job '${id}'`)
  return streamSSE(c, async (stream) => {
    const sent = new Map<number, string>()
    let lastStatus = ''
    let open = true
    stream.onAbort(() => {
      open = false
    })
    while (open) {
      const job = store.getJob(id)
      if (job === undefined) break
      const direction = (job.spec as { objective?: { direction?: string } } | null)?.objective?.direction === 'maximize' ? 'maximize' : 'minimize'
      const status = JSON.stringify({ status: job.status, counters: (job.details as { counters?: unknown }).counters ?? null })
      if (status !== lastStatus) {
        await stream.writeSSE({ event: 'status', data: status })
        lastStatus = status
      }
      for (const t of job.kind === 'tuning' ? trialViews(store.listTrials(id), direction) : []) {
        const text = JSON.stringify(t)
        if (sent.get(t.number) === text) continue
        sent.set(t.number, text)
        await stream.writeSSE({ event: 'trial', data: text })
      }
      if (job.status !== 'InProgress') {
        await stream.writeSSE({ event: 'end', data: JSON.stringify({ status: job.status }) })
        break
      }
      await stream.sleep(pollMs)
    }
  })
}
