/**
 * The partition kernel by its definition: a shard's range moves into the same positions of the
 * other buffer, left rows in order from the start and right rows from the end down, each row with
 * its codes and gradient pair; the JavaScript and WebAssembly kernels agree to the byte, for
 * every row width.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SharedMemory } from '../../exec/shared-memory.js'
import { instantiateGrowingKernels } from './growing-kernels.js'
import { scatter } from './partition.js'

describe('the partition kernel', () => {
  it('moves left rows up from the start and right rows down from the end, with their codes and pairs (js and wasm alike)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 90 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 9 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 1 << 30 }),
        (words, nRows, startAt, bin, missingLeft, seed) => {
          const stride = 4 * words
          const n = startAt + nRows + 5
          const missing = 10
          const mem = new SharedMemory(4096)
          const codes = mem.alloc(Uint8Array, n * stride)
          const rows = mem.alloc(Int32Array, n)
          const gh = mem.alloc(Float32Array, 2 * n)
          let x = seed
          const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0)
          for (let i = 0; i < n; i++) {
            for (let b = 0; b < stride; b++) codes[i * stride + b] = next() % (missing + 1)
            rows[i] = 1000 + i
            gh[2 * i] = (next() % 1000) / 7
            gh[2 * i + 1] = i
          }
          const feature = next() % (stride - 1)
          const start = startAt
          const end = startAt + nRows
          const out = () => ({ codes: mem.alloc(Int32Array, n * words), rows: mem.alloc(Int32Array, n), gh: mem.alloc(Float32Array, 2 * n) })
          const js = out()
          const wa = out()
          const codeWords = new Int32Array(codes.buffer, codes.byteOffset, n * words)
          const ml = missingLeft ? 1 : 0
          const leftJs = scatter(codes, codeWords, words, rows, gh, start, end, feature, bin, missing, ml, js.codes, js.rows, js.gh)
          const wasm = instantiateGrowingKernels(mem.memory)
          const leftWasm = wasm.scatter(codes.byteOffset, words, rows.byteOffset, gh.byteOffset, start, end, feature, bin, missing, ml, wa.codes.byteOffset, wa.rows.byteOffset, wa.gh.byteOffset)

          // By definition.
          const goesLeft = (i: number) => {
            const c = codes[i * stride + feature]
            return c === missing ? missingLeft : c <= bin
          }
          const left: number[] = []
          const right: number[] = []
          for (let i = start; i < end; i++) (goesLeft(i) ? left : right).push(i)
          expect(leftJs).toBe(left.length)
          const expected = [...left, ...right.reverse()]
          expected.forEach((i, k) => {
            const at = start + k
            expect(js.rows[at]).toBe(rows[i])
            expect(js.gh[2 * at]).toBe(gh[2 * i])
            expect(js.gh[2 * at + 1]).toBe(gh[2 * i + 1])
            for (let w = 0; w < words; w++) expect(js.codes[at * words + w]).toBe(codeWords[i * words + w])
          })
          // Nothing outside the range is written.
          for (let at = 0; at < n; at++) if (at < start || at >= end) expect(js.rows[at]).toBe(0)

          expect(leftWasm).toBe(leftJs)
          expect(Array.from(wa.rows)).toEqual(Array.from(js.rows))
          expect(Array.from(wa.gh)).toEqual(Array.from(js.gh))
          expect(Array.from(wa.codes)).toEqual(Array.from(js.codes))
        },
      ),
      { numRuns: 200 },
    )
  })
})
