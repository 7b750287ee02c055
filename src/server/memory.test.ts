import { describe, expect, it } from 'vitest'
import { checkEndpointConfig, parseEndpointConfig } from './endpoint-config.js'
import { estimateMemory, RUNTIME_MB } from './memory.js'

describe('endpoint memory and settings', () => {
  it('charges the runtime, three times the model state and two bodies per concurrent invocation', () => {
    const mib = 1024 * 1024
    expect(estimateMemory({ stateBytes: 10 * mib, maxConcurrency: 5, bodyLimitBytes: 6 * mib })).toEqual({ runtimeMb: RUNTIME_MB, modelMb: 30, invocationsMb: 60, totalMb: RUNTIME_MB + 90 })
    expect(estimateMemory({ stateBytes: 1, maxConcurrency: 200, bodyLimitBytes: 4 * mib }).totalMb).toBe(RUNTIME_MB + 1 + 1600)
  })

  it("takes SageMaker's defaults and bounds, keeping an endpoint's current values on update", () => {
    expect(parseEndpointConfig({ model: 'm.tar.gz' })).toEqual({ model: 'm.tar.gz', memorySizeMb: 2048, maxConcurrency: 5, idleTimeoutS: 300 })
    const base = parseEndpointConfig({ model: 'm.tar.gz', memory_size_mb: 6144, max_concurrency: 200, idle_timeout_s: 0.5 })
    expect(parseEndpointConfig({ model: 'n.tar.gz' }, base)).toEqual({ ...base, model: 'n.tar.gz' })
    for (const memorySizeMb of [1024, 3072, 6144]) expect(() => checkEndpointConfig({ ...base, memorySizeMb })).not.toThrow()
    for (const memorySizeMb of [0, 1000, 2000, 7168, 1024.5]) expect(() => checkEndpointConfig({ ...base, memorySizeMb })).toThrow(/memory_size_mb/)
    for (const maxConcurrency of [0, 201, 1.5]) expect(() => checkEndpointConfig({ ...base, maxConcurrency })).toThrow(/max_concurrency/)
    expect(() => parseEndpointConfig({ model: 'm', max_concurrency: '8' })).toThrow(/'max_concurrency' must be an integer/)
  })
})
