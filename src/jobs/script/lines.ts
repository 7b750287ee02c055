/**
 * Turning a child's output chunks into lines. Chunks end anywhere: in the middle of a line or of
 * a UTF-8 character, between the `\r` and `\n` of a CRLF. Progress bars redraw with a lone `\r`,
 * so that ends a line too; otherwise a bar would grow one endless line.
 */
import { StringDecoder } from 'node:string_decoder'

/** Longest line kept whole, in UTF-16 units; a longer run without a line end is cut into pieces. */
export const MAX_LINE = 1024 * 1024

/**
 * Splits a byte stream into lines on `\n`, `\r\n` and `\r`, without the line ends.
 * @example
 * const lines: string[] = []
 * const split = new LineSplitter((line) => lines.push(line))
 * split.push(Buffer.from('loss=0.5\nlo'))
 * split.push(Buffer.from('ss=0.4'))
 * split.end() // lines: ['loss=0.5', 'loss=0.4']
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8')
  private pending = ''
  /** The last chunk ended with `\r`: a `\n` opening the next one belongs to it. */
  private afterCr = false

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLine = MAX_LINE,
  ) {}

  /** Takes the next chunk; calls `onLine` for every line it completes. */
  push(chunk: Uint8Array): void {
    this.take(this.decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)))
  }

  /** Flushes the final line when the output did not end with a line end. */
  end(): void {
    this.take(this.decoder.end())
    if (this.pending.length > 0) this.onLine(this.pending)
    this.pending = ''
    this.afterCr = false
  }

  private take(text: string): void {
    let start = 0
    if (this.afterCr && text.length > 0) {
      if (text.charCodeAt(0) === 10) start = 1
      this.afterCr = false
    }
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c !== 10 && c !== 13) continue
      const line = this.pending + text.slice(start, i)
      this.pending = ''
      if (c === 13) {
        if (i + 1 === text.length) this.afterCr = true
        else if (text.charCodeAt(i + 1) === 10) i++
      }
      start = i + 1
      this.onLine(line)
    }
    this.pending += text.slice(start)
    while (this.pending.length >= this.maxLine) {
      const piece = this.pending.slice(0, this.maxLine)
      this.pending = this.pending.slice(this.maxLine)
      this.onLine(piece)
    }
  }
}
