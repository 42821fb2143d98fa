/**
 * Properties of the whole front end on random models built from real layer
 * kinds (not just random syntax): shape-valid specs compile without errors,
 * their parameter totals add up, formatting preserves the IR, and mutated
 * bytes always end in a result or a diagnostic, never an exception.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { compileSource } from '../../src/ir/pipeline.js';
import { formatSource } from '../../src/parser/fmt.js';
import { hasErrors } from '../../src/diagnostics/diagnostic.js';
import { runCli } from '../cli/run-cli.js';

const act = fc.constantFrom('', ' relu', ' tanh', ' sigmoid', ' elu', ' swish', ' gelu', ' softplus');

/** Image stages keep the spatial size ≥ 1 by using `padding=same` or size-1 windows. */
const imageLayer = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 5 }), act, fc.integer({ min: 1, max: 2 })).map(
    ([f, k, a, s]) => `conv ${f} ${k}x${k}${a} padding=same strides=${s}`,
  ),
  fc.constantFrom('maxpool 2 padding=same', 'avgpool 2 padding=same', 'batchnorm', 'dropout 0.25', 'activation relu', 'upsample 2', 'layernorm'),
);
const vectorLayer = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 64 }), act).map(([u, a]) => `dense ${u}${a}`),
  fc.constantFrom('dropout 0.5', 'batchnorm momentum=0.9', 'layernorm', 'activation tanh'),
);
const sequenceLayer = fc.oneof(
  fc.tuple(fc.constantFrom('simplernn', 'lstm', 'gru'), fc.integer({ min: 1, max: 16 })).map(([k, u]) => `${k} ${u} return_sequences=true`),
  fc.tuple(fc.constantFrom('lstm', 'gru'), fc.integer({ min: 1, max: 8 }), fc.constantFrom('concat', 'sum', 'mul', 'ave')).map(
    ([k, u, m]) => `bidirectional ${k} ${u} return_sequences=true merge_mode=${m}`,
  ),
  fc.tuple(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 3 })).map(([f, k]) => `conv1d ${f} ${k} padding=same`),
  fc.constant('maxpool1d 2 padding=same'),
);

const imageModel = fc
  .tuple(fc.integer({ min: 4, max: 32 }), fc.integer({ min: 1, max: 3 }), fc.array(imageLayer, { maxLength: 5 }), fc.constantFrom('flatten', 'globalavgpool', 'globalmaxpool'), fc.array(vectorLayer, { maxLength: 3 }), fc.integer({ min: 2, max: 10 }))
  .map(([hw, c, convs, head, dense, classes]) =>
    [`input ${hw}x${hw}x${c}`, ...convs, head, ...dense, `dense ${classes} softmax`, 'compile loss=categorical_crossentropy optimizer=adam metrics=[accuracy]'].join('\n'),
  );
const sequenceModel = fc
  .tuple(fc.integer({ min: 2, max: 500 }), fc.integer({ min: 1, max: 32 }), fc.boolean(), fc.array(sequenceLayer, { maxLength: 3 }), fc.constantFrom('lstm 8', 'gru 4', 'globalavgpool', 'flatten'))
  .map(([vocab, dim, known, seq, last]) =>
    [`input ${known ? '20' : '?'} int32`, `embedding ${vocab} ${dim}`, ...seq, last, 'dense 1 sigmoid', 'compile loss=binary_crossentropy optimizer=rmsprop'].join('\n'),
  )
  // Flatten needs every dimension known.
  .filter((s) => !(s.startsWith('input ?') && s.includes('\nflatten')));
const validModel = fc.oneof(imageModel, sequenceModel);

test('random shape-valid models compile with no errors and consistent totals', () => {
  fc.assert(
    fc.property(validModel, (text) => {
      const r = compileSource(text, 'random.model');
      assert.ok(!hasErrors(r.diagnostics), `${text}\n${JSON.stringify(r.diagnostics, null, 1)}`);
      const facts = r.facts!;
      const sum = facts.nodes.reduce((s, n) => s + n.trainableParams + n.nonTrainableParams, 0);
      assert.equal(facts.totalParams, sum);
      assert.equal(facts.totalParams, facts.trainableParams + facts.nonTrainableParams);
      for (const n of facts.nodes) {
        const weights = n.weights.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
        assert.equal(weights, n.trainableParams + n.nonTrainableParams, n.name);
      }
    }),
    { numRuns: 300, seed: 20261123 },
  );
});

const withoutSpans = (v: unknown) => JSON.stringify(v, (k, x) => (k === 'span' || k === 'argSpans' ? undefined : x));

test('fmt is idempotent and never changes the IR of a random valid model', () => {
  // Messy but valid spacing and chains; fmt must canonicalise without changing meaning.
  const messy = validModel.chain((text) =>
    fc.tuple(fc.constant(text), fc.array(fc.constantFrom(' ', '  ', '\t'), { minLength: 1, maxLength: 1 }), fc.boolean()).map(([t, [sp], chain]) => {
      const lines = t.split('\n').map((l) => l.replace(/ /g, sp));
      return chain ? [lines[0], lines.slice(1, -1).join(' -> '), lines[lines.length - 1]].join('\n') : lines.join('\n');
    }),
  );
  fc.assert(
    fc.property(messy, (text) => {
      const once = formatSource(text).text;
      assert.ok(once !== undefined, text);
      assert.equal(formatSource(once).text, once, 'idempotent');
      assert.equal(withoutSpans(compileSource(once, 'm.model').ir), withoutSpans(compileSource(text, 'm.model').ir));
    }),
    { numRuns: 200, seed: 1447 },
  );
});

const SPECS = ['lenet5', 'mnist-cnn', 'sentiment-rnn', 'cats-vs-dogs', 'mnist-mlp'].map((s) => readFileSync(`specs/${s}.model`, 'utf8'));

/** A valid spec with a few random bytes replaced, inserted or deleted (NUL, non-ASCII, brackets included). */
const mutatedSpec = fc
  .tuple(
    fc.constantFrom(...SPECS),
    fc.array(
      fc.tuple(fc.nat(), fc.constantFrom('replace', 'insert', 'delete'), fc.oneof(fc.string({ maxLength: 1 }), fc.constantFrom('\0', '(', ']', '=', '->', 'x', '?', '\n', '#', 'é', '\uD800', '-1', '1e999'))),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([spec, edits]) => {
    let s = spec;
    for (const [pos, op, text] of edits) {
      const i = pos % (s.length + 1);
      s = op === 'insert' ? s.slice(0, i) + text + s.slice(i) : op === 'delete' ? s.slice(0, i) + s.slice(i + 1) : s.slice(0, i) + text + s.slice(i + 1);
    }
    return s;
  });

test('mutated specs never throw: they compile or carry an error with a location', () => {
  fc.assert(
    fc.property(mutatedSpec, (text) => {
      const r = compileSource(text, 'm.model');
      if (r.ir && r.facts) return;
      assert.ok(hasErrors(r.diagnostics) || r.diagnostics.length > 0, 'an invalid spec carries a diagnostic');
      for (const d of r.diagnostics) assert.ok(d.code !== 'E-INTERNAL', `internal error on ${JSON.stringify(text)}: ${d.message}`);
    }),
    { numRuns: 500, seed: 99 },
  );
});

test('mutated spec files make `mlc check` exit 0 or 1 with a diagnostic, never a stack trace', async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'mlc-mut-'));
  try {
    const samples = fc.sample(mutatedSpec, { numRuns: 12, seed: 5 });
    const files = samples.map((s, i) => {
      const f = join(dir, `m${i}.model`);
      writeFileSync(f, s);
      return f;
    });
    for (const f of files) {
      const r = runCli(['check', f]);
      assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
      if (r.status === 1) assert.match(r.stderr, /:\d+:\d+: error: |: error: /);
      assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
