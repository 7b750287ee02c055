import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { binFrame, fitBins } from '../data/binning.js'
import { readFrame } from '../data/read.js'
import { formatResources, ResourceMeter } from './resources.js'

const dir = mkdtempSync(join(tmpdir(), 'consort-resources-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('ResourceMeter', () => {
  it('counts the reads and binnings given its counters, and the files a job hands to another program', async () => {
    writeFileSync(join(dir, 'a.csv'), 'x\n1\n2\n')
    mkdirSync(join(dir, 'channel', 'part'), { recursive: true })
    writeFileSync(join(dir, 'channel', 'b.csv'), '12345')
    writeFileSync(join(dir, 'channel', 'part', 'c.csv'), '123')
    const meter = new ResourceMeter()
    const other = new ResourceMeter()
    const frame = await readFrame(join(dir, 'a.csv'), { counters: meter.counters })
    binFrame(frame, fitBins(frame, 16), meter.counters)
    // Another job's read in the same process is its own.
    await readFrame(join(dir, 'a.csv'), { counters: other.counters })
    await meter.addFiles([join(dir, 'channel')])
    const r = meter.finish()
    expect([r.dataReads, r.bytesRead, r.binnings]).toEqual([2, 6 + 5 + 3, 1])
    expect(other.finish().dataReads).toBe(1)
    expect(r.wallSeconds).toBeGreaterThanOrEqual(0)
    expect(r.peakRssBytes).toBeGreaterThan(1 << 20)
  })

  it.runIf(existsSync('/proc/self/stat'))('counts the CPU of child processes it waited for', () => {
    const meter = new ResourceMeter()
    const spin = 'const end = Date.now() + 400; while (Date.now() < end);'
    expect(spawnSync(process.execPath, ['-e', spin]).status).toBe(0)
    // The parent itself was idle, waiting: most of this is the child's.
    expect(meter.finish().cpuSeconds).toBeGreaterThan(0.25)
  })

  it('formats a summary line', () => {
    expect(formatResources({ wallSeconds: 2.314, cpuSeconds: 3.95, peakRssBytes: 182 * 1024 ** 2, bytesRead: 39117, dataReads: 1, binnings: 1 })).toBe(
      '2.31 s wall, 3.95 s CPU, peak 182 MiB, 1 read of 38.2 KiB, 1 binning',
    )
    expect(formatResources({ wallSeconds: 1, cpuSeconds: 1, peakRssBytes: 5 * 1024 ** 3, bytesRead: 900, dataReads: 2, binnings: 0 })).toMatch(/peak 5.00 GiB, 2 reads of 900 B$/)
  })
})
