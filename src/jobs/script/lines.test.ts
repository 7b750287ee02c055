import { describe, expect, it } from 'vitest'
import { LineSplitter } from './lines.js'

/** The lines of `chunks` fed one by one. */
function split(chunks: readonly (string | Uint8Array)[], maxLine?: number): string[] {
  const lines: string[] = []
  const splitter = new LineSplitter((line) => lines.push(line), maxLine)
  for (const c of chunks) splitter.push(typeof c === 'string' ? Buffer.from(c) : c)
  splitter.end()
  return lines
}

describe('LineSplitter', () => {
  it('joins lines cut across chunks and flushes a final line without a line end', () => {
    expect(split(['epoch=1 ', 'loss=0.5\nepo', 'ch=2\n', 'done'])).toEqual(['epoch=1 loss=0.5', 'epoch=2', 'done'])
  })

  it('ends lines on LF, CRLF and a lone CR, also when CR and LF arrive in different chunks', () => {
    expect(split(['a\r\nb\rc\n'])).toEqual(['a', 'b', 'c'])
    expect(split(['a\r', '\nb\r', 'c\r', '\r\n'])).toEqual(['a', 'b', 'c', ''])
    expect(split(['a\r', '', '\nb'])).toEqual(['a', 'b'])
  })

  it('keeps empty lines and emits nothing for empty output', () => {
    expect(split(['\n\nx\n'])).toEqual(['', '', 'x'])
    expect(split([])).toEqual([])
  })

  it('decodes a UTF-8 character split between chunks', () => {
    const bytes = Buffer.from('λ=0.1\n')
    expect(split([bytes.subarray(0, 1), bytes.subarray(1)])).toEqual(['λ=0.1'])
  })

  it('cuts a line longer than the limit into pieces', () => {
    expect(split(['abcdefg', 'h\n'], 3)).toEqual(['abc', 'def', 'gh'])
  })
})
