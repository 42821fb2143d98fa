/** fast-check generators of valid `.model` text, from a small model of the grammar (not a test file itself). */
import fc from 'fast-check';

const KEYWORDS = new Set(['model', 'input', 'compile', 'fit', 'true', 'false']);

const space = fc.constantFrom(' ', '  ', '\t');
const maybeSpace = fc.constantFrom('', ' ');

export const name = fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/).filter((s) => !KEYWORDS.has(s));
const mixedCaseName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/).filter((s) => !KEYWORDS.has(s.toLowerCase()));

const int = fc.integer({ min: -50, max: 100000 }).map(String);
const float = fc.oneof(
  fc.tuple(fc.nat(999), fc.nat(999)).map(([a, b]) => `${a}.${b}`),
  fc.nat(999).map((b) => `.${b}`),
  fc.tuple(fc.nat(9), fc.integer({ min: -8, max: 8 })).map(([a, e]) => `${a}e${e}`),
  fc.tuple(fc.nat(99), fc.nat(9), fc.nat(9)).map(([a, b, e]) => `-${a}.${b}E+${e}`),
);
const dim = fc.oneof(fc.nat(512).map(String), fc.constant('?'), fc.constant('-1'));
const dims = fc.oneof(
  fc.array(dim, { minLength: 2, maxLength: 4 }).map((d) => d.join('x')),
  fc.constant('?'),
);
const bool = fc.constantFrom('true', 'false');

/** A value as text, written with random (valid) spacing. */
export const value: fc.Arbitrary<string> = fc.letrec<{ value: string; list: string; call: string; option: string }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, int, float, dims, bool, mixedCaseName, tie('list'), tie('call')),
  list: fc
    .tuple(fc.array(tie('value'), { maxLength: 3 }), fc.boolean(), maybeSpace, maybeSpace)
    .map(([items, trailing, a, b]) => `[${a}${items.join(`,${b}`)}${trailing && items.length > 0 ? ',' : ''}${b}]`),
  call: fc
    .tuple(name, fc.array(tie('value'), { maxLength: 2 }), fc.array(tie('option'), { maxLength: 2 }), maybeSpace)
    .map(([callee, args, opts, s]) => `${callee}(${s}${[...args, ...opts].join(`,${s}`)}${s})`),
  option: fc.tuple(name, tie('value'), maybeSpace).map(([k, v, s]) => `${k}${s}=${s}${v}`),
})).value;

const option = fc.tuple(name, value).map(([k, v]) => `${k}=${v}`);

function words(parts: fc.Arbitrary<string[]>): fc.Arbitrary<string> {
  return fc.tuple(parts, space).map(([p, s]) => p.join(s));
}

const layer = fc
  .tuple(name, fc.array(value, { maxLength: 3 }), fc.array(option, { maxLength: 2 }))
  .chain(([kind, pos, opts]) => words(fc.constant([kind, ...pos, ...opts])));
const chain = fc
  .tuple(fc.array(layer, { minLength: 1, maxLength: 3 }), fc.constantFrom('->', ' -> ', '  ->  '))
  .map(([ls, arrow]) => ls.join(arrow));

const statement = fc.oneof(
  name.map((n) => `model ${n}`),
  fc
    .tuple(
      fc.oneof(fc.nat(1000).map(String), dims),
      fc.option(fc.constantFrom('float32', 'int32'), { nil: undefined }),
      fc.array(option, { maxLength: 2 }),
    )
    .map(([shape, dtype, opts]) => ['input', shape, ...(dtype ? [dtype] : []), ...opts].join(' ')),
  fc.tuple(fc.constantFrom('compile', 'fit'), fc.array(option, { maxLength: 3 })).chain(([kw, opts]) => words(fc.constant([kw, ...opts]))),
  chain,
  chain,
);

const commentText = fc.string({ maxLength: 12, unit: 'grapheme' }).map((s) => s.replace(/[\r\n]/g, ''));

const line = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('', '  ', '\t'),
      statement,
      fc.option(fc.tuple(fc.constantFrom('', ' ', '   '), commentText), { nil: undefined }),
    )
    .map(([indent, s, c]) => indent + s + (c ? `${c[0]}#${c[1]}` : '')),
  commentText.map((c) => `#${c}`),
  fc.constantFrom('', '  '),
);

/** A whole valid file: lines joined by LF or CRLF, with or without a final newline. */
export const validSpec: fc.Arbitrary<string> = fc
  .tuple(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
  .map(([lines, eol, final]) => lines.join(eol) + (final ? eol : ''));

const noise = fc.constantFrom(
  '\u0000',
  '\ud800',
  '\udfff',
  '\u00e9',
  '\u{1F600}',
  '\u00a0',
  '\u2192',
  '(',
  ')',
  '[',
  ']',
  ',',
  '=',
  '->',
  '-',
  '#',
  '\n',
  '\r',
  '\r\n',
  '\t',
  "'",
  '"',
  '?',
  'x',
  '.',
  '1',
  'e',
  'A',
  ' ',
  '@',
  '$',
  '{',
  '}',
  ':',
);

type Edit = { at: number; kind: 'insert' | 'delete' | 'replace'; text: string };
const edit: fc.Arbitrary<Edit> = fc.record({ at: fc.nat(), kind: fc.constantFrom('insert', 'delete', 'replace'), text: noise });

/** A valid file with a few random insertions, deletions and replacements. */
export const mutatedSpec: fc.Arbitrary<string> = fc
  .tuple(validSpec, fc.array(edit, { minLength: 1, maxLength: 4 }))
  .map(([text, edits]) => {
    let s = text;
    for (const e of edits) {
      const at = s.length === 0 ? 0 : e.at % (s.length + 1);
      if (e.kind === 'insert') s = s.slice(0, at) + e.text + s.slice(at);
      else if (e.kind === 'delete') s = s.slice(0, at) + s.slice(at + 1);
      else s = s.slice(0, at) + e.text + s.slice(at + 1);
    }
    return s;
  });
