import { describe, expect, it } from 'vitest'
import type { TrainEvent } from '../jobs/train.js'
import { trainProgress } from './progress.js'

const events: TrainEvent[] = [
  { type: 'stage', stage: 'read' },
  { type: 'plan', members: ['xgb', 'linear'], folds: 2, refit: true, workers: 2 },
  { type: 'progress', member: 'xgb', fold: null, step: 50, total: 100 },
  { type: 'fit', member: 'xgb', fold: null, folds: 2, seconds: 0.5 },
  { type: 'fit', member: 'linear', fold: 0, folds: 2, seconds: 0.1 },
]

describe('trainProgress', () => {
  it('writes one JSON object per stage and finished fit when stderr is not a terminal', () => {
    let text = ''
    const progress = trainProgress((t) => (text += t), false)
    for (const e of events) progress.onEvent(e)
    progress.end()
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines.map((l) => l.event)).toEqual(['stage', 'plan', 'fit', 'fit'])
    expect(lines[2]).toMatchObject({ member: 'xgb', fold: null, seconds: 0.5, time: expect.any(String) })
  })

  it('draws a bar per member on a terminal and redraws it in place', () => {
    const writes: string[] = []
    const progress = trainProgress((t) => writes.push(t), true)
    for (const e of events) progress.onEvent(e)
    progress.end()
    const last = writes.at(-1)!
    // Three lines drawn before, so the cursor goes up three lines first.
    expect(last.startsWith('\x1b[3A')).toBe(true)
    expect(last).toContain(`xgb     [${'#'.repeat(8)}${'-'.repeat(16)}] 1/3 fits`)
    expect(last).toContain(`linear  [${'#'.repeat(8)}${'-'.repeat(16)}] 1/3 fits`)
  })
})
