import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generateLayerReference, withLayerTable } from '../../src/layers/reference.js';
import { LAYER_DEFS } from '../../src/layers/index.js';

test('grammar/layers.md is up to date with the layer definitions', () => {
  assert.equal(
    readFileSync('grammar/layers.md', 'utf8'),
    generateLayerReference(),
    'grammar/layers.md is stale: run `npm run build && npm run grammar` and commit the result',
  );
});

test('the layer reference documents every kind, alias and option', () => {
  const doc = generateLayerReference();
  for (const def of LAYER_DEFS) {
    assert.match(doc, new RegExp(`^## ${def.kind}$`, 'm'));
    for (const alias of def.aliases) assert.ok(doc.includes(`\`${alias}\``), alias);
    for (const p of def.options) assert.ok(doc.includes(`\`${p.name}\``), `${def.kind}.${p.name}`);
  }
});

test('docs/language.md carries the current table of every layer kind', () => {
  const doc = readFileSync('docs/language.md', 'utf8');
  assert.equal(doc, withLayerTable(doc), 'docs/language.md is stale: run `npm run grammar` and commit the result');
  for (const def of LAYER_DEFS) assert.ok(doc.includes(`| \`${def.kind}\``), def.kind);
});
