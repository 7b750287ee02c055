/**
 * The web-standard globals the runtime uses, and only those: the runtime type-checks against
 * this file and ES2023 with no Node or DOM types (tsconfig.runtime.json), so any other global (a
 * Buffer, process, a DOM API) fails the type check. Each is in Node 20, browsers and serverless
 * JavaScript runtimes. The main build does not read this file; it has these from @types/node.
 */

type BufferSource = ArrayBufferView | ArrayBuffer

interface TextEncoder {
  encode(input?: string): Uint8Array
}
declare const TextEncoder: new () => TextEncoder

interface TextDecoderOptions {
  fatal?: boolean
  ignoreBOM?: boolean
}
interface TextDecoder {
  decode(input?: BufferSource): string
}
declare const TextDecoder: new (label?: string, options?: TextDecoderOptions) => TextDecoder

interface ReadableStreamDefaultReader<R> {
  read(): Promise<{ done: true; value?: undefined } | { done: false; value: R }>
  cancel(reason?: unknown): Promise<void>
}
interface ReadableStream<R> {
  getReader(): ReadableStreamDefaultReader<R>
}
interface WritableStreamDefaultWriter<W> {
  write(chunk: W): Promise<void>
  close(): Promise<void>
}
interface WritableStream<W> {
  getWriter(): WritableStreamDefaultWriter<W>
}
interface DecompressionStream {
  readonly readable: ReadableStream<Uint8Array>
  readonly writable: WritableStream<BufferSource>
}
declare const DecompressionStream: new (format: 'gzip' | 'deflate' | 'deflate-raw') => DecompressionStream

interface SubtleCrypto {
  digest(algorithm: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512', data: BufferSource): Promise<ArrayBuffer>
}
declare const crypto: { readonly subtle: SubtleCrypto }

declare function structuredClone<T>(value: T): T

declare function atob(data: string): string
declare function btoa(data: string): string

