/**
 * `mlc graph`: the picture's structure (a box per input, layer and output,
 * an edge per tensor read with its shape, frames around block calls) for a
 * sequential spec and for a hand-made DAG with two inputs, merges, two
 * outputs and nested block calls; collapsing; DOT; and the PNG's size.
 * Shapes and parameter counts are Keras's (LeNet-5's model.summary()).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import sharp from 'sharp';
import { buildModelGraph, layoutGraph, modelDot, modelSvg } from '../../src/graph/index.js';
import { compileSource } from '../../src/ir/pipeline.js';
import type { IR, IRNode, ModelFacts, NodeFacts } from '../../src/ir/types.js';
import { runCli } from '../cli/run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'mlc-graph-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface SvgNode { id: string; role: string; texts: string[] }
interface SvgEdge { from: string; to: string; label: string }

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** The nodes, edges and frames of an SVG drawn by mlc, read from its markup. */
function readSvg(svg: string): { nodes: SvgNode[]; edges: SvgEdge[]; groups: { id: string; label: string; rect: Rect }[]; rects: Map<string, Rect> } {
  const texts = (g: string) => [...g.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => unescape(m[1]!));
  const rect = (g: string): Rect => {
    const m = /<rect x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"/.exec(g)!;
    return { x: +m[1]!, y: +m[2]!, width: +m[3]!, height: +m[4]! };
  };
  const nodes: SvgNode[] = [];
  const rects = new Map<string, Rect>();
  for (const m of svg.matchAll(/<g class="node (\w+)" data-id="([^"]*)"[^>]*>(.*?)<\/g>/g)) {
    nodes.push({ role: m[1]!, id: unescape(m[2]!), texts: texts(m[3]!) });
    rects.set(unescape(m[2]!), rect(m[3]!));
  }
  const edges = [...svg.matchAll(/<g class="edge" data-from="([^"]*)" data-to="([^"]*)">(.*?)<\/g>/g)].map((m) => ({
    from: unescape(m[1]!), to: unescape(m[2]!), label: texts(m[3]!)[0]!,
  }));
  const groups = [...svg.matchAll(/<g class="group" data-id="([^"]*)">(.*?)<\/g>/g)].map((m) => ({ id: unescape(m[1]!), label: texts(m[2]!)[0]!, rect: rect(m[2]!) }));
  return { nodes, edges, groups, rects };
}

interface Rect { x: number; y: number; width: number; height: number }
const inside = (a: Rect, b: Rect) => a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;
const overlap = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

function compiled(file: string): { ir: IR; facts: ModelFacts } {
  const r = compileSource(readFileSync(file, 'utf8'), file);
  assert.ok(r.ir && r.facts, JSON.stringify(r.diagnostics));
  return { ir: r.ir, facts: r.facts };
}

test('LeNet-5: every layer a box with its arguments and Keras parameter count, every edge labelled with the shape Keras gives', () => {
  const { ir, facts } = compiled('specs/lenet5.model');
  const { nodes, edges, groups, rects } = readSvg(modelSvg(ir, facts).text);
  assert.deepEqual(nodes.map((n) => n.role), ['input', ...ir.nodes.map(() => 'layer'), 'output']);
  assert.deepEqual(nodes.map((n) => n.texts.join(' | ')), [
    'input 28×28×1 | input_layer',
    'conv2d 6 5x5 sigmoid | conv2d · 156 params',
    'maxpool2d 2x2 | max_pooling2d',
    'conv2d 16 5x5 sigmoid | conv2d_1 · 2,416 params',
    'maxpool2d 2x2 | max_pooling2d_1',
    'flatten',
    'dense 120 sigmoid | dense · 30,840 params',
    'dense 84 sigmoid | dense_1 · 10,164 params',
    'dense 10 softmax | dense_2 · 850 params',
    'output | dense_2',
  ]);
  // (None, 24, 24, 6) ... (None, 10): LeNet-5's model.summary() in Keras.
  assert.deepEqual(edges.map((e) => e.label), ['28×28×1', '24×24×6', '12×12×6', '8×8×16', '4×4×16', '256', '120', '84', '10']);
  const chain = ['input', ...ir.nodes.map((n) => n.id), 'output:0'];
  assert.deepEqual(edges.map((e) => [e.from, e.to]), chain.slice(1).map((to, i) => [chain[i], to]));
  assert.equal(groups.length, 0);
  // Top to bottom, and no two boxes overlap.
  const ys = chain.map((id) => rects.get(id)!.y);
  assert.deepEqual(ys, [...ys].sort((a, b) => a - b));
  for (const [i, a] of chain.entries()) for (const b of chain.slice(i + 1)) assert.ok(!overlap(rects.get(a)!, rects.get(b)!), `${a} and ${b} overlap`);
});

test('arguments read as written: only non-default options, a wrapped layer with its own, reshape\'s -1 in list form', () => {
  const source = 'input 784\nreshape [-1, 16]\nbidirectional lstm 8 return_sequences=true\nconv1d 4 3 strides=2 padding=same\ndropout 0.5\n';
  const r = compileSource(source, 'seq.model');
  assert.ok(r.ir && r.facts, JSON.stringify(r.diagnostics));
  const titles = readSvg(modelSvg(r.ir, r.facts).text).nodes.map((n) => n.texts.join(' | '));
  assert.deepEqual(titles, [
    'input 784 | input_layer',
    'reshape [-1, 16]',
    // Keras: 2 × LSTM(8) on 16 features = 2 × 4 × (8 × (16 + 8) + 8) = 1,600.
    'bidirectional lstm 8 return_sequences=true | bidirectional · 1,600 params',
    // Conv1D(4, 3) on 16 channels: 3 × 16 × 4 + 4 = 196.
    'conv1d 4 3 strides=2 padding=same | conv1d · 196 params',
    'dropout 0.5',
    'output | dropout',
  ]);
});

/**
 * A two-tower model as the v2 language lowers it: a stem, a `stage` block
 * calling a `residual` block twice (each: conv, batchnorm, add with the
 * call's input, relu), global pooling, a second input through a dense layer,
 * a concat of both towers, and two outputs.
 */
function twoTower(): { ir: IR; facts: ModelFacts } {
  const nodes: IRNode[] = [];
  const facts: NodeFacts[] = [];
  const add = (id: string, kind: string, args: IRNode['args'], inputs: string[], shape: number[], params: number, callPath?: { block: string; name: string }[]) => {
    nodes.push({ id, kind, kerasClass: kind, name: id, args, inputs, ...(callPath ? { callPath } : {}) } as IRNode);
    facts.push({ id, name: id, kerasClass: kind, outputShape: [null, ...shape], trainableParams: params, nonTrainableParams: 0, macs: 0, weights: [] });
  };
  add('stem', 'conv2d', { filters: 16, kernel_size: [3, 3], activation: 'relu', padding: 'same' }, ['image'], [32, 32, 16], 448);
  for (const [i, name] of ['stage_residual', 'stage_residual_1'].entries()) {
    const path = [{ block: 'stage', name: 'stage' }, { block: 'residual', name }];
    const from = i === 0 ? 'stem' : 'r0_act';
    add(`r${i}_conv`, 'conv2d', { filters: 16, kernel_size: [3, 3], padding: 'same' }, [from], [32, 32, 16], 2320, path);
    add(`r${i}_bn`, 'batchnorm', {}, [`r${i}_conv`], [32, 32, 16], 64, path);
    add(`r${i}_add`, 'add', {}, [`r${i}_bn`, from], [32, 32, 16], 0, path);
    add(`r${i}_act`, 'activation', { activation: 'relu' }, [`r${i}_add`], [32, 32, 16], 0, path);
  }
  add('pool', 'globalavgpool', {}, ['r1_act'], [16], 0);
  add('meta_dense', 'dense', { units: 16, activation: 'relu' }, ['meta'], [16], 176);
  add('cat', 'concat', { axis: -1 }, ['pool', 'meta_dense'], [32], 0);
  add('cls', 'dense', { units: 10, activation: 'softmax' }, ['cat'], [10], 330);
  add('box', 'dense', { units: 4 }, ['cat'], [4], 132);
  const ir = {
    irVersion: 1, name: 'two_tower', nodes, outputs: ['cls', 'box'],
    inputs: [{ id: 'image', name: 'image', shape: [32, 32, 3], dtype: 'float32' }, { id: 'meta', name: 'meta', shape: [10], dtype: 'float32' }],
  } as IR;
  const total = facts.reduce((s, f) => s + f.trainableParams, 0);
  return {
    ir,
    facts: { inputShapes: { image: [null, 32, 32, 3], meta: [null, 10] }, nodes: facts, totalParams: total, trainableParams: total, nonTrainableParams: 0, totalMacs: 0, paramBytes: 4 * total, activationBytes: 0 },
  };
}

describe('a DAG with two inputs, merges, two outputs and nested block calls', () => {
  const { ir, facts } = twoTower();

  test('expanded: every node and every input of every merge drawn, frames nested around their layers', () => {
    const { nodes, edges, groups, rects } = readSvg(modelSvg(ir, facts, { collapse: false }).text);
    assert.deepEqual(new Set(nodes.map((n) => n.id)), new Set(['image', 'meta', ...ir.nodes.map((n) => n.id), 'output:0', 'output:1']));
    const expected = ir.nodes.flatMap((n) => n.inputs.map((from) => `${from}->${n.id}`));
    expected.push('cls->output:0', 'box->output:1');
    assert.deepEqual(new Set(edges.map((e) => `${e.from}->${e.to}`)), new Set(expected));
    assert.equal(edges.length, expected.length);
    assert.equal(edges.find((e) => e.from === 'meta')!.label, '10');
    assert.equal(edges.find((e) => e.from === 'stem' && e.to === 'r0_add')!.label, '32×32×16', 'the skip connection carries its shape');
    assert.deepEqual(groups.map((g) => g.label).sort(), ['stage', 'stage_residual (residual)', 'stage_residual_1 (residual)']);
    const frame = (label: string) => groups.find((g) => g.label === label)!.rect;
    for (const [i, label] of ['stage_residual (residual)', 'stage_residual_1 (residual)'].entries()) {
      assert.ok(inside(frame(label), frame('stage')), `${label} inside stage`);
      for (const kind of ['conv', 'bn', 'add', 'act']) assert.ok(inside(rects.get(`r${i}_${kind}`)!, frame(label)), `r${i}_${kind} inside ${label}`);
    }
    for (const id of ['stem', 'pool', 'cat', 'meta_dense', 'image']) assert.ok(!overlap(rects.get(id)!, frame('stage')), `${id} outside the stage`);
    assert.deepEqual(nodes.find((n) => n.id === 'output:1')!.texts, ['output 2', 'box']);
  });

  test('collapsed: one box per outermost call with its layer and parameter totals; edges in and out kept, inner ones gone', () => {
    const graph = buildModelGraph(ir, facts, { collapse: true });
    assert.equal(graph.collapsedLayers, 8);
    const { nodes, edges, groups } = readSvg(modelSvg(ir, facts, { collapse: true }).text);
    assert.equal(groups.length, 0);
    const block = nodes.filter((n) => n.role === 'block');
    assert.equal(block.length, 1);
    // 2 × (2,320 + 64) parameters inside the stage.
    assert.deepEqual(block[0]!.texts, ['stage', '8 layers · 4,768 params']);
    assert.ok(!nodes.some((n) => n.id.startsWith('r0_') || n.id.startsWith('r1_')));
    assert.deepEqual(edges.filter((e) => e.from === block[0]!.id || e.to === block[0]!.id).map((e) => `${e.from}->${e.to} ${e.label}`), [
      `stem->${block[0]!.id} 32×32×16`,
      `${block[0]!.id}->pool 32×32×16`,
    ]);
  });

  test('block calls collapse by default above the size limit, and not below it', () => {
    assert.equal(buildModelGraph(ir, facts).collapsedLayers, 0);
    const big = structuredClone(ir);
    const many = Array.from({ length: 70 }, (_, i): IRNode => ({
      id: `x${i}`, kind: 'dense', kerasClass: 'Dense', name: `blk_${i}_dense`, args: { units: 8 }, inputs: [i === 0 ? 'cat' : `x${i - 1}`],
      callPath: [{ block: 'blk', name: `blk_${Math.floor(i / 10)}` }],
    } as IRNode));
    big.nodes.push(...many);
    assert.equal(buildModelGraph(big, undefined).collapsedLayers, 78);
    assert.equal(buildModelGraph(big, undefined, { collapse: false }).collapsedLayers, 0);
    const layout = layoutGraph(buildModelGraph(big, undefined));
    // Two inputs, stem, stage, pool, meta_dense, cat, cls, box, seven blk calls, two outputs.
    assert.equal(layout.boxes.length, 18);
  });

  test('DOT: the same nodes, edges with shape labels, and clusters for the calls', () => {
    const dot = modelDot(ir, facts, { collapse: false }).text;
    assert.match(dot, /^digraph "two_tower" \{/);
    for (const n of ir.nodes) assert.match(dot, new RegExp(`^\\s+"${n.id}" \\[label=`, 'm'));
    assert.match(dot, /"stem" -> "r0_add" \[label="32×32×16"\];/);
    assert.match(dot, /"meta" -> "meta_dense" \[label="10"\];/);
    assert.equal(dot.match(/subgraph "cluster_/g)?.length, 3);
    assert.equal(dot.match(/ -> /g)?.length, ir.nodes.reduce((s, n) => s + n.inputs.length, 0) + 2);
  });
});

describe('mlc graph', () => {
  test('writes a PNG that decodes at the size it states, twice the SVG size', async () => {
    const png = join(scratch, 'mlp.png');
    const svg = join(scratch, 'mlp.svg');
    const r = runCli(['graph', 'specs/mnist-mlp.model', '-o', png]);
    assert.equal(r.status, 0, r.stderr);
    const stated = /\((\d+)×(\d+) pixels\)/.exec(r.stdout);
    assert.ok(stated, r.stdout);
    const meta = await sharp(readFileSync(png)).metadata();
    assert.equal(meta.format, 'png');
    assert.deepEqual([meta.width, meta.height], [Number(stated[1]), Number(stated[2])]);
    assert.equal(runCli(['graph', 'specs/mnist-mlp.model', '-o', svg]).status, 0);
    const size = /<svg [^>]*width="(\d+)" height="(\d+)"/.exec(readFileSync(svg, 'utf8'))!;
    assert.deepEqual([meta.width, meta.height], [2 * Number(size[1]), 2 * Number(size[2])]);
  });

  test('a picture format it cannot tell is a usage error; an invalid spec draws nothing', () => {
    const r = runCli(['graph', 'specs/mnist-mlp.model', '-o', join(scratch, 'x.jpg')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /end it in \.svg, \.png or \.dot/);
    const out = join(scratch, 'bad.svg');
    const bad = runCli(['graph', 'test/golden/cases/conv-after-flat.model', '-o', out]);
    assert.equal(bad.status, 1);
    assert.ok(!existsSync(out));
  });
});
