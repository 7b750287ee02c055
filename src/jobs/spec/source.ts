/**
 * Spec text to plain data, keeping the YAML document so any field path can be mapped back to the
 * line and column it came from. JSON is read by the same parser (JSON is YAML 1.2 flow syntax), so
 * both formats get positions and the same syntax errors.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml'
import { ParamError } from '../../errors.js'

/** A field path: object keys and array indices from the spec's root. */
export type FieldPath = readonly (string | number)[]

/** A line and column, both 1-based. */
export interface Position {
  line: number
  column: number
}

/** Parsed spec text: its data and a map from field paths back to positions in the text. */
export interface SpecSource {
  /** The document as plain JavaScript values (objects, arrays, scalars). */
  readonly data: unknown
  /**
   * Where `path` is in the text: the key itself when `onKey` (an unknown field), else its value.
   * A path that is not in the text maps to its nearest ancestor that is.
   */
  locate(path: FieldPath, onKey?: boolean): Position | undefined
}

/**
 * Parses YAML or JSON spec text. Syntax errors, duplicate keys and multiple documents are
 * ParamErrors with the file, line and column.
 * @example
 * const source = parseSource('name: demo\ncv: { folds: 3 }\n', 'ensemble.yaml')
 * source.locate(['cv', 'folds']) // { line: 2, column: 14 }
 */
export function parseSource(text: string, file?: string): SpecSource {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset)
    return { line, column: col }
  }
  const error = doc.errors[0]
  if (error !== undefined) {
    throw new ParamError(`invalid YAML/JSON: ${firstLine(error.message)}`, { file, ...position(error.pos[0]) })
  }
  let data: unknown
  try {
    // Anchors and aliases are capped so a small file cannot expand into a huge object.
    data = doc.toJS({ maxAliasCount: 100 })
  } catch (e) {
    throw new ParamError(`invalid YAML: ${firstLine(e instanceof Error ? e.message : String(e))}`, { file })
  }
  return {
    data,
    locate(path, onKey = false) {
      const offset = offsetOf(doc, path, onKey)
      return offset === undefined ? undefined : position(offset)
    },
  }
}

function offsetOf(doc: Document, path: FieldPath, onKey: boolean): number | undefined {
  let node: unknown = doc.contents
  let best = startOf(node)
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]
    const last = i === path.length - 1
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment))
      if (pair === undefined) return best
      const keyStart = startOf(pair.key)
      const valueStart = startOf(pair.value)
      if (last) return (onKey ? keyStart : valueStart ?? keyStart) ?? best
      best = keyStart ?? best
      node = pair.value
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment]
      const start = startOf(item)
      if (start === undefined) return best
      if (last) return start
      best = start
      node = item
    } else {
      return best
    }
  }
  return best
}

function startOf(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range
  return Array.isArray(range) ? range[0] : undefined
}

function firstLine(message: string): string {
  return message.split('\n')[0]
}
