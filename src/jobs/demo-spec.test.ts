import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { qualitySpec, seedSpec, seedTuningSpec } from './demo-spec.js'
import { loadSpec } from './spec/index.js'
import { loadTuningSpec } from './tune/spec.js'

const example = (name: string) => fileURLToPath(new URL(`../../examples/diabetes/${name}`, import.meta.url))

describe('the demo specs', () => {
  it('are the examples of examples/diabetes/, on the bundled data', async () => {
    for (const [demo, file] of [
      [qualitySpec(0), 'quality.yaml'],
      [seedSpec(), 'ensemble.yaml'],
    ] as const) {
      const spec = await loadSpec(example(file))
      expect({ ...demo, channels: undefined }).toEqual({ ...spec, channels: undefined })
      expect(demo.channels.train).toMatch(/data[\\/]diabetes\.csv$/)
    }
    expect(qualitySpec(7).cv.seed).toBe(7)
    const tuning = await seedTuningSpec()
    const fromFile = await loadTuningSpec(example('tuning.yaml'))
    const comparable = ({ training, trainingBaseDir: _dir, trainingFile: _file, ...rest }: typeof tuning) => ({ ...rest, training: { ...training, channels: undefined } })
    expect(comparable(tuning)).toEqual(comparable(fromFile))
  })
})
