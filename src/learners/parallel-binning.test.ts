import { describe, expect, it } from 'vitest'
import { BatchPools } from '../exec/batch-pool.js'
import { Rng } from '../rng.js'
import { binFrame, fitBins } from '../data/binning.js'
import { BLOCK_ROWS } from './binning-program.js'
import { DataCounters } from '../data/counters.js'
import { makeFrame, numericColumn } from '../data/frame.js'
import { binFrameParallel } from './parallel-binning.js'

/** More rows than the quantile sample and than two blocks: a few-valued, a continuous and a gappy column. */
function frame(nRows: number) {
  const rng = new Rng(3)
  const few = Float64Array.from({ length: nRows }, () => rng.int(7))
  const wide = Float64Array.from({ length: nRows }, () => Math.exp(3 * rng.next()))
  const gappy = Float64Array.from({ length: nRows }, (_, i) => (i % 11 === 0 ? NaN : rng.int(400)))
  return makeFrame([numericColumn('few', few), numericColumn('wide', wide), numericColumn('gappy', gappy)])
}

describe('binFrameParallel', () => {
  const f = frame(3 * BLOCK_ROWS + 1234)
  const reference = binFrame(f, fitBins(f, 256, 5))

  it.each([2, 3])('gives the single-threaded cuts and codes byte for byte on %i threads', (threads) => {
    const pools = new BatchPools()
    try {
      const binned = binFrameParallel(f, 256, 5, { threads, pools })
      expect(binned.mapper.cuts).toEqual(reference.mapper.cuts)
      expect(binned.nBins).toEqual(reference.nBins)
      expect(Buffer.from(binned.codes).equals(Buffer.from(reference.codes))).toBe(true)
      expect(binned.codes.buffer).toBeInstanceOf(SharedArrayBuffer)
    } finally {
      pools.close()
    }
  })

  it('bins small frames on the caller and counts one binning either way', () => {
    const small = frame(1000)
    const counters = new DataCounters()
    const binned = binFrameParallel(small, 64, 0, { threads: 2, counters })
    const single = binFrame(small, fitBins(small, 64, 0))
    expect(Buffer.from(binned.codes).equals(Buffer.from(single.codes))).toBe(true)
    expect(counters.binnings).toBe(1)
  })
})
