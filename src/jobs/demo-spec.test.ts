import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { demoSpec } from './demo-spec.js'
import { loadSpec } from './spec/index.js'

describe('demoSpec', () => {
  it('is the quality ensemble of examples/diabetes/quality.yaml, on the bundled data', async () => {
    const example = await loadSpec(fileURLToPath(new URL('../../examples/diabetes/quality.yaml', import.meta.url)))
    const demo = demoSpec(0)
    expect({ ...demo, channels: undefined }).toEqual({ ...example, channels: undefined })
    expect(demo.channels.train).toMatch(/data[\\/]diabetes\.csv$/)
    expect(demoSpec(7).cv.seed).toBe(7)
  })
})
