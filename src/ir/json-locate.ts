/**
 * A JSON reader that remembers where every value was written, so diagnostics
 * about an IR JSON file (`/nodes/3/args/rate`) point at its line and column,
 * and a syntax error is a Diagnostic with a position rather than an exception.
 */
import { error, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';

export interface JsonScan {
  value?: unknown;
  /** JSON pointer (`/nodes/0/args/units`) -> the span of that value. */
  spans: Map<string, Span>;
  /** Keys of objects: `pointer` -> span of the key text, for "unknown field" messages. */
  keySpans: Map<string, Span>;
  error?: Diagnostic;
}

class JsonSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

const LITERALS = new Map<string, { word: string; value: boolean | null }>([
  ['t', { word: 'true', value: true }],
  ['f', { word: 'false', value: false }],
  ['n', { word: 'null', value: null }],
]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

export function scanJson(text: string): JsonScan {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const position = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo] + 1 };
  };
  const spanOf = (start: number, end: number): Span => {
    const a = position(start);
    const b = position(end);
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  };
  const spans = new Map<string, Span>();
  const keySpans = new Map<string, Span>();
  let pos = 0;

  const skip = () => {
    for (let c = text.charCodeAt(pos); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(++pos));
  };
  const describe = () => (pos >= text.length ? 'the end of the file' : `\`${text[pos]}\``);
  const expect = (ch: string, what: string) => {
    skip();
    if (text[pos] !== ch) throw new JsonSyntaxError(`expected ${what}; found ${describe()}`, pos);
    pos++;
  };
  const readString = (): string => {
    STRING.lastIndex = pos;
    const m = STRING.exec(text);
    if (!m) throw new JsonSyntaxError('expected a string in double quotes ("...")', pos);
    pos += m[0].length;
    // Only a string with escapes needs decoding; most keys and names have none.
    return m[0].includes('\\') ? (JSON.parse(m[0]) as string) : m[0].slice(1, -1);
  };
  const escapeKey = (k: string) => (k.includes('~') || k.includes('/') ? k.replace(/~/g, '~0').replace(/\//g, '~1') : k);

  const readValue = (pointer: string): unknown => {
    skip();
    const start = pos;
    const value = readBare(pointer);
    spans.set(pointer, spanOf(start, pos));
    return value;
  };
  const readBare = (pointer: string): unknown => {
    const ch = text[pos];
    if (ch === '{') {
      pos++;
      const obj: Record<string, unknown> = {};
      skip();
      if (text[pos] === '}') return pos++, obj;
      for (;;) {
        skip();
        const keyStart = pos;
        const key = readString();
        const child = `${pointer}/${escapeKey(key)}`;
        keySpans.set(child, spanOf(keyStart, pos));
        expect(':', '`:` after the key');
        const value = readValue(child);
        // "__proto__" is data, as JSON.parse treats it; defining every key that way would make each object slow to build and read.
        if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
        else obj[key] = value;
        skip();
        if (text[pos] === ',') pos++;
        else if (text[pos] === '}') return pos++, obj;
        else throw new JsonSyntaxError(`expected \`,\` or \`}\` in an object; found ${describe()}`, pos);
      }
    }
    if (ch === '[') {
      pos++;
      const arr: unknown[] = [];
      skip();
      if (text[pos] === ']') return pos++, arr;
      for (;;) {
        arr.push(readValue(`${pointer}/${arr.length}`));
        skip();
        if (text[pos] === ',') pos++;
        else if (text[pos] === ']') return pos++, arr;
        else throw new JsonSyntaxError(`expected \`,\` or \`]\` in a list; found ${describe()}`, pos);
      }
    }
    if (ch === '"') return readString();
    const literal = LITERALS.get(ch);
    if (literal && text.startsWith(literal.word, pos)) return (pos += literal.word.length), literal.value;
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    if (m) return (pos += m[0].length), Number(m[0]);
    throw new JsonSyntaxError(`expected a JSON value; found ${describe()}`, pos);
  };

  try {
    const value = readValue('');
    skip();
    if (pos < text.length) throw new JsonSyntaxError(`expected the end of the file after the JSON value; found ${describe()}`, pos);
    return { value, spans, keySpans };
  } catch (e) {
    const offset = e instanceof JsonSyntaxError ? e.offset : pos;
    const message = e instanceof JsonSyntaxError ? e.message : 'the JSON is nested too deeply to read';
    const span = spanOf(offset, Math.min(offset + 1, text.length));
    return { spans, keySpans, error: error('E-JSON', `invalid JSON: ${message}`, span, 'an IR file is the JSON that `mlc ir` writes; check the brackets and commas around this point') };
  }
}
