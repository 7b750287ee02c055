/**
 * Training progress on stderr: on a terminal, one bar per member (its fits done, and the rounds
 * of the fits running), redrawn in place; otherwise one JSON object per line for each stage and
 * each finished fit, for logs and programs.
 */
import type { TrainEvent } from '../jobs/train.js'

/** Redraws at most this often; boosters report every round. */
const REDRAW_MS = 100
const BAR_WIDTH = 24

interface MemberProgress {
  done: number
  /** Running fits: fold (or 'all') to the share of it done. */
  running: Map<string, number>
}

/**
 * A progress reporter writing to `write`: bars when `tty`, JSON lines otherwise.
 * @example
 * const progress = trainProgress((t) => process.stderr.write(t), process.stderr.isTTY)
 * await train(spec, { onEvent: progress.onEvent })
 * progress.end()
 */
export function trainProgress(write: (text: string) => void, tty: boolean): { onEvent: (e: TrainEvent) => void; end: () => void } {
  if (!tty) {
    return {
      onEvent: ({ type, ...event }) => {
        if (type !== 'progress') write(JSON.stringify({ event: type, ...event, time: new Date().toISOString() }) + '\n')
      },
      end: () => undefined,
    }
  }
  const members = new Map<string, MemberProgress>()
  let fitsPerMember = 0
  let stage = ''
  let drawnLines = 0
  let lastDraw = 0
  const started = performance.now()

  const draw = (force: boolean) => {
    const now = performance.now()
    if (!force && now - lastDraw < REDRAW_MS) return
    lastDraw = now
    const width = Math.max(0, ...[...members.keys()].map((n) => n.length))
    const lines = [...members].map(([name, m]) => {
      let partial = 0
      for (const share of m.running.values()) partial += share
      const share = fitsPerMember === 0 ? 0 : Math.min(1, (m.done + partial) / fitsPerMember)
      const filled = Math.round(share * BAR_WIDTH)
      return `${name.padEnd(width)}  [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${m.done}/${fitsPerMember} fits`
    })
    lines.push(`${stage} ${((now - started) / 1000).toFixed(1)} s`)
    // Move up over the previous drawing, then rewrite every line and clear what is left of it.
    write((drawnLines > 0 ? `\x1b[${drawnLines}A` : '') + lines.map((l) => `\r${l}\x1b[K\n`).join(''))
    drawnLines = lines.length
  }

  return {
    onEvent: (e) => {
      switch (e.type) {
        case 'plan':
          fitsPerMember = e.folds + (e.refit ? 1 : 0)
          for (const name of e.members) members.set(name, { done: 0, running: new Map() })
          return draw(true)
        case 'stage':
          stage = e.stage
          return draw(true)
        case 'progress':
          members.get(e.member)?.running.set(String(e.fold), e.step / e.total)
          return draw(false)
        case 'fit': {
          const m = members.get(e.member)
          if (m) {
            m.running.delete(String(e.fold))
            m.done++
          }
          return draw(false)
        }
      }
    },
    end: () => draw(true),
  }
}
