/** fast-check generators of valid `.model` text, from a small model of the grammar (not a test file itself). */
import fc from 'fast-check';

const KEYWORDS = new Set(['model', 'input', 'output', 'block', 'compile', 'fit', 'true', 'false']);

const space = fc.constantFrom(' ', '  ', '\t');
const maybeSpace = fc.constantFrom('', ' ');
/** Where a statement may go on over lines (after `,`, inside brackets): nothing, a space, or a line break with or without a comment. */
const maybeBreak = fc.constantFrom('', ' ', '\n  ', ' # note\n    ', '\n\n');

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
const operator = fc.constantFrom('+', '-', '*', '/');

/** A value as text, written with random (valid) spacing; lists, maps and calls may go on over lines. */
export const value: fc.Arbitrary<string> = fc.letrec<{
  value: string;
  atom: string;
  arithmetic: string;
  operand: string;
  list: string;
  map: string;
  call: string;
  option: string;
}>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('atom'), tie('atom'), tie('arithmetic')),
  atom: fc.oneof({ depthSize: 'small', withCrossShrink: true }, int, float, dims, bool, mixedCaseName, tie('list'), tie('map'), tie('call')),
  // Operands are names, non-negative integers and parenthesised values: `a -1` would be two values.
  operand: fc.oneof(
    { depthSize: 'small' },
    name,
    fc.nat(999).map(String),
    fc.tuple(tie('value'), maybeSpace).map(([v, s]) => `(${s}${v}${s})`),
  ),
  arithmetic: fc
    .tuple(tie('operand'), fc.array(fc.tuple(operator, tie('operand')), { minLength: 1, maxLength: 3 }), fc.constantFrom('', ' '))
    // With spaces around operators, an operand must not start with a sign (`a - -1`); without, it may.
    .map(([first, rest, s]) => first + rest.map(([op, v]) => `${s}${op}${s}${v}`).join('')),
  list: fc
    .tuple(fc.array(tie('value'), { maxLength: 3 }), fc.boolean(), maybeBreak, maybeBreak)
    .map(([items, trailing, a, b]) => `[${a}${items.join(`,${b}`)}${trailing && items.length > 0 ? ',' : ''}${b.replace(/#.*\n/, '\n')}]`),
  map: fc
    .tuple(fc.array(fc.tuple(name, tie('value')), { maxLength: 3 }), fc.boolean(), maybeBreak, maybeSpace)
    .map(
      ([entries, trailing, b, s]) =>
        `{${entries.map(([k, v]) => `${k}${s}:${s === '' ? ' ' : s}${v}`).join(`,${b}`)}${trailing && entries.length > 0 ? ',' : ''}}`,
    ),
  call: fc
    .tuple(name, fc.array(tie('value'), { maxLength: 2 }), fc.array(tie('option'), { maxLength: 2 }), maybeSpace, maybeBreak)
    .map(([callee, args, opts, s, b]) => `${callee}(${s}${[...args, ...opts].join(`,${b}`)}${s})`),
  option: fc.tuple(name, tie('value'), maybeSpace).map(([k, v, s]) => `${k}${s}=${s}${v}`),
})).value;

const option = fc.tuple(name, value).map(([k, v]) => `${k}=${v}`);

function words(parts: fc.Arbitrary<string[]>): fc.Arbitrary<string> {
  return fc.tuple(parts, space).map(([p, s]) => p.join(s));
}

const layer = fc
  .tuple(name, fc.array(value, { maxLength: 3 }), fc.array(option, { maxLength: 2 }))
  .chain(([kind, pos, opts]) => words(fc.constant([kind, ...pos, ...opts])));
/** A merge or block call with its tensor inputs first: `concat [a, b] axis=1`, `add [_, x]`. */
const merge = fc
  .tuple(name, fc.array(fc.oneof(name, fc.constant('_')), { minLength: 1, maxLength: 3 }), fc.array(value, { maxLength: 1 }))
  .map(([kind, inputs, rest]) => [kind, `[${inputs.join(', ')}]`, ...rest].join(' '));
const input = fc
  .tuple(
    fc.option(name, { nil: undefined }),
    fc.oneof(fc.nat(1000).map(String), dims),
    fc.option(fc.constantFrom('float32', 'int32'), { nil: undefined }),
    fc.array(option, { maxLength: 2 }),
  )
  .map(([n, shape, dtype, opts]) => ['input', ...(n ? [n] : []), shape, ...(dtype ? [dtype] : []), ...opts].join(' '));
const arrow = fc.constantFrom('->', ' -> ', '  ->  ', ' ->\n    ', ' -> # then\n  ', ' ->\n\n  ');
/** A chain's head: a layer, a tensor name, `_` or a merge. */
const head = fc.oneof(layer, name, fc.constant('_'), merge);
const chain = fc
  .tuple(head, fc.array(fc.oneof(layer, layer, merge), { maxLength: 2 }), arrow)
  .map(([first, rest, a]) => [first, ...rest].join(a));
const inputChain = fc.tuple(input, fc.array(layer, { minLength: 1, maxLength: 2 }), arrow).map(([i, ls, a]) => [i, ...ls].join(a));
const bind = (c: fc.Arbitrary<string>) => fc.tuple(name, maybeSpace, c).map(([n, s, x]) => `${n}${s}=${s === '' ? ' ' : s}${x}`);
const binding = bind(fc.oneof(chain, chain, inputChain));

const commentText = fc.string({ maxLength: 12, unit: 'grapheme' }).map((s) => s.replace(/[\r\n]/g, ''));
const trailingComment = fc.option(fc.tuple(fc.constantFrom('', ' ', '   '), commentText), { nil: undefined }).map((c) => (c ? `${c[0]}#${c[1]}` : ''));

const blockHeader = fc
  .tuple(
    name,
    fc.option(fc.uniqueArray(name, { minLength: 1, maxLength: 3 }), { nil: undefined }),
    fc.option(fc.uniqueArray(name, { minLength: 0, maxLength: 3 }), { nil: undefined }),
    fc.option(value, { nil: undefined }),
  )
  .filter(([, inputs, params]) => new Set([...(inputs ?? []), ...(params ?? [])]).size === (inputs ?? []).length + (params ?? []).length)
  .map(([n, inputs, params, dflt]) => {
    const ps = (params ?? []).map((p, i) => (dflt !== undefined && i === (params ?? []).length - 1 ? `${p}=${dflt}` : p));
    return `block ${n}${inputs ? `[${inputs.join(', ')}]` : ''}${params ? `(${ps.join(', ')})` : ''} {`;
  });
const bodyLine = fc.oneof(
  fc.tuple(fc.constantFrom('  ', '    ', '\t', ''), fc.oneof(chain, bind(chain)), trailingComment).map(([i, s, c]) => i + s + c),
  commentText.map((c) => `  #${c}`),
  fc.constant(''),
);
const block = fc
  .tuple(blockHeader, trailingComment, fc.array(bodyLine, { maxLength: 4 }), trailingComment)
  .map(([h, c1, body, c2]) => [h + c1, ...body, '}' + c2].join('\n'));

const statement = fc.oneof(
  name.map((n) => `model ${n}`),
  input,
  fc.array(name, { minLength: 1, maxLength: 3 }).map((ns) => `output ${ns.join(' ')}`),
  fc.tuple(fc.constantFrom('compile', 'fit'), fc.array(option, { maxLength: 3 })).chain(([kw, opts]) => words(fc.constant([kw, ...opts]))),
  chain,
  chain,
  binding,
  inputChain,
);

const line = fc.oneof(
  fc.tuple(fc.constantFrom('', '  ', '\t'), statement, trailingComment).map(([indent, s, c]) => indent + s + c),
  block,
  commentText.map((c) => `#${c}`),
  fc.constantFrom('', '  '),
);

/** A whole valid file: lines joined by LF or CRLF, with or without a final newline. */
export const validSpec: fc.Arbitrary<string> = fc
  .tuple(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
  .map(([lines, eol, final]) => lines.join('\n').replace(/\n/g, eol) + (final ? eol : ''));

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
