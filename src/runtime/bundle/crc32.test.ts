import { crc32 as nodeCrc32 } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { crc32 } from './crc32.js'

describe('crc32', () => {
  it('gives the standard check value and agrees with zlib on random ranges', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926)
    expect(crc32(new Uint8Array(0))).toBe(0)
    const bytes = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + (i >> 3)) & 0xff)
    for (const [a, b] of [[0, 4096], [3, 50], [100, 101], [1000, 3999]]) expect(crc32(bytes, a, b)).toBe(nodeCrc32(bytes.subarray(a, b)))
  })
})
