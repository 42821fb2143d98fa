/**
 * Checks of the `compile` section against the model it trains: the loss
 * against the output shape and the output activation, and the metrics against
 * the loss. Wrong combinations that cannot train are errors; legal but
 * questionable ones (softmax with binary_crossentropy, a linear output under a
 * probability loss) are warnings that say what to change.
 */
import { error, warning, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import { formatShape } from '../layers/index.js';
import { labelModeFor, probabilityActivation } from './training.js';
import { isPerOutputMap, outputSpecs, type OutputSpec } from './outputs.js';
import { didYouMean } from '../runtime/data/suggest.js';
import type { IR, IRCompile, IRNode, ModelFacts, NodeFacts, PerOutput } from './types.js';

/** A loss over a distribution of classes (one unit per class, softmax). */
const isClassLoss = (loss: string) => probabilityActivation(loss) === 'softmax';
const isRegressionLoss = (loss: string) => labelModeFor(loss) === 'regression';
/** Layers that pass values through unchanged, so the activation before them is still the output's. */
const PASS_THROUGH = new Set(['dropout', 'flatten', 'reshape']);

/** The activation applied last before the output, if one can be read off the IR. */
export function outputActivation(ir: IR, outputId: string): { activation: string; node: IRNode } | undefined {
  let index = ir.nodes.findIndex((n) => n.id === outputId);
  while (index >= 0) {
    const node = ir.nodes[index];
    if (typeof node.args.activation === 'string') return { activation: node.args.activation, node };
    if (!PASS_THROUGH.has(node.kind)) return undefined;
    index = ir.nodes.findIndex((n) => n.id === node.inputs[0]);
  }
  return undefined;
}

export function checkCompile(ir: IR, facts: ModelFacts): Diagnostic[] {
  const compile = ir.compile;
  const outputs = outputSpecs(ir);
  if (!compile || !outputs) return [];
  const spanOf = (key: string): Span | undefined => compile.argSpans?.[key] ?? compile.span;
  const out = checkOutputKeys(compile, outputs.map((o) => o.name), spanOf);
  const perOutput = outputs.length > 1;
  for (const output of outputs) {
    const outFacts = facts.nodes.find((n) => n.id === output.id);
    if (!outFacts) continue;
    // With several outputs, the spans of map entries are keyed `loss/NAME`.
    const keyOf = (key: string) => (perOutput && compile.argSpans?.[`${key}/${output.name}`] ? `${key}/${output.name}` : key);
    out.push(...checkOutput(ir, output, outFacts, (key) => spanOf(keyOf(key))));
  }
  return out;
}

/** Map keys that name no output, and outputs a loss map leaves without a loss. */
function checkOutputKeys(compile: IRCompile, names: string[], spanOf: (key: string) => Span | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const maps: [string, unknown][] = [['loss', compile.loss], ['metrics', compile.metrics], ['loss_weights', compile.loss_weights]];
  for (const [key, value] of maps) {
    if (value === undefined || !isPerOutputMap(value as PerOutput<unknown>)) continue;
    for (const name of Object.keys(value as object)) {
      if (names.includes(name)) continue;
      out.push(error('E-COMPILE-OUTPUT', `\`${key}\` names an output \`${name}\`, but the model's outputs are ${names.map((n) => `\`${n}\``).join(', ')}`,
        spanOf(`${key}/${name}`) ?? spanOf(key), didYouMean(name, names)));
    }
    if (key === 'loss') {
      for (const name of names.filter((n) => !(n in (value as object)))) {
        out.push(error('E-COMPILE-OUTPUT', `output \`${name}\` has no loss`, spanOf(key), `add \`${name}: LOSS\` to the loss map, e.g. \`${name}: mse\``));
      }
    }
  }
  return out;
}

/** One output's loss against its shape and activation, and its metrics against its loss. */
function checkOutput(ir: IR, output: OutputSpec, outFacts: NodeFacts, spanOf: (key: string) => Span | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const outputNode = ir.nodes.find((n) => n.id === output.id);
  const pointAtOutput = (d: Diagnostic, message = 'the output layer is here') => {
    if (outputNode?.span) d.related = [{ message, span: outputNode.span }];
    out.push(d);
    return d;
  };
  const loss = output.loss;
  const shape = formatShape(outFacts.outputShape);
  const last = outFacts.outputShape[outFacts.outputShape.length - 1];

  if (isClassLoss(loss) && last === 1) {
    pointAtOutput(
      error('E-LOSS-SHAPE', `${loss} needs one output per class (last dimension > 1); the model's output is ${shape}`, spanOf('loss'),
        'for N classes end with `dense N softmax`; for a yes/no output of one unit use `loss=binary_crossentropy` with `sigmoid`'),
    );
  }
  if (loss === 'binary_crossentropy' && typeof last === 'number' && last > 1) {
    pointAtOutput(
      warning('W-LOSS-SHAPE', `binary_crossentropy treats each of the ${last} outputs as its own yes/no label (multi-label); the model's output is ${shape}`, spanOf('loss'),
        'if each sample has exactly one of these classes, use `loss=categorical_crossentropy` (one-hot labels) or `sparse_categorical_crossentropy` (class ids) with `softmax`'),
    );
  }

  const act = outputActivation(ir, output.id);
  // After a shape error the activation advice would be about the wrong output.
  if (act && !out.some((d) => d.severity === 'error')) {
    const expected = probabilityActivation(loss);
    if (act.activation === 'softmax' && last === 1) {
      pointAtOutput(warning('W-LOSS-ACTIVATION', 'softmax over a single output is always 1, so the model cannot learn', spanOf('loss'), 'use `sigmoid` for one yes/no output, or one unit per class with `softmax`'));
    } else if (expected && act.activation !== expected) {
      pointAtOutput(warning('W-LOSS-ACTIVATION', activationMessage(loss, act.activation, expected), spanOf('loss'), `end the model with \`${expected}\`, e.g. \`dense ${last ?? 'N'} ${expected}\``), 'the output activation is set here');
    }
  }
  out.push(...checkMetrics(output.metrics, loss, (i) => spanOf(`metrics/${i}`) ?? spanOf('metrics')));
  return out;
}

function activationMessage(loss: string, activation: string, expected: string): string {
  if (activation === 'linear') return `${loss} expects probabilities, but the output layer is linear (unbounded scores)`;
  if (activation === 'softmax' && expected === 'sigmoid') return `${loss} scores each output on its own, but softmax makes the outputs compete (they sum to 1)`;
  if (activation === 'sigmoid' && expected === 'softmax') return `${loss} expects the outputs to be a distribution over classes, but sigmoid outputs do not sum to 1`;
  return `${loss} expects probabilities from \`${expected}\`, but the output activation is \`${activation}\``;
}

function checkMetrics(metrics: readonly string[], loss: string, spanOf: (i: number) => Span | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  metrics.forEach((m, i) => {
    if (m === 'accuracy' && isRegressionLoss(loss)) {
      out.push(warning('W-METRIC-LOSS', `accuracy counts exact matches, which a regression (loss=${loss}) almost never produces`, spanOf(i), 'use `metrics=[mae]` to track the average error'));
    } else if (m === 'categorical_accuracy' && loss === 'sparse_categorical_crossentropy') {
      out.push(warning('W-METRIC-LOSS', 'categorical_accuracy expects one-hot labels, but sparse_categorical_crossentropy takes class ids', spanOf(i), 'use `sparse_categorical_accuracy` or `accuracy`'));
    } else if (m === 'sparse_categorical_accuracy' && loss === 'categorical_crossentropy') {
      out.push(warning('W-METRIC-LOSS', 'sparse_categorical_accuracy expects class ids, but categorical_crossentropy takes one-hot labels', spanOf(i), 'use `categorical_accuracy` or `accuracy`'));
    } else if (m === 'binary_accuracy' && isClassLoss(loss)) {
      out.push(warning('W-METRIC-LOSS', `binary_accuracy scores each output as yes/no, but ${loss} is a one-of-N classification`, spanOf(i), 'use `accuracy`'));
    }
  });
  return out;
}
