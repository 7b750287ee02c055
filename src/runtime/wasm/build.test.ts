/** Every committed WebAssembly module is byte-for-byte what its AssemblyScript source compiles to now. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: a plain ES module script with no type declarations
import { compileKernel, KERNELS, modulePath, moduleText } from '../../../wasm/build.mjs'

describe('the WebAssembly kernels', () => {
  it.each(KERNELS as { source: string; module: string; flags: string[] }[])('$module is a fresh build of wasm/$source', async (kernel) => {
    const fresh = moduleText(kernel, await compileKernel(kernel))
    expect(readFileSync(modulePath(kernel), 'utf8')).toBe(fresh)
  })
})
