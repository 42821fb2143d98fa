/**
 * A `?` input dimension (a sequence length) gets its size from the data, so
 * `mlc check` cannot know whether a crop, a `valid` convolution or a pooling
 * window fits it. Keras builds such a model and fails inside training when the
 * data is too short; mlc checks the data's sizes against the same shape rules
 * `check` uses, once the data is read, and reports a data error that names
 * the layer, instead of letting the engine fail mid-step.
 */
import { inferModel } from '../ir/infer.js';
import type { IR } from '../ir/types.js';
import { DataError } from './data/errors.js';
import { formatDims } from './data/shape.js';
import type { MultiSplit } from './split-tensors.js';

/** The longest length tried when looking for the shortest one the model takes. */
const LONGEST_TRIED = 1024;

/** The first shape error of the model with its inputs' `?` dimensions set as in `sampleShapes`, if any. */
function firstShapeError(ir: IR, sampleShapes: readonly (readonly number[])[]): { layer: string; message: string } | undefined {
  const sized: IR = { ...ir, inputs: ir.inputs.map((input, k) => ({ ...input, shape: [...sampleShapes[k]!] })) };
  const { facts, diagnostics } = inferModel(sized);
  const error = diagnostics.find((d) => d.severity === 'error');
  if (error === undefined) return undefined;
  // Nodes are in order, so the first unknown one is where the error was found (its dependents come later).
  const failed = ir.nodes.find((n) => n.id === facts.unknown[0]);
  return { layer: failed?.name ?? 'a layer', message: error.message };
}

/**
 * Throws a DataError when the data's sizes for the `?` dimensions of the
 * model's inputs are ones its layers cannot take. `file` is the data as the user named it.
 */
export function checkDataLengths(ir: IR, split: MultiSplit, file: string): void {
  if (!ir.inputs.some((input) => input.shape.includes(null))) return;
  const sampleShapes = split.xs.map((x) => x.shape.slice(1));
  // A loader that gave a sample shape of another rank has reported it already; nothing to compare.
  if (ir.inputs.some((input, k) => sampleShapes[k]?.length !== input.shape.length)) return;
  const failure = firstShapeError(ir, sampleShapes);
  if (failure === undefined) return;
  const open = ir.inputs.flatMap((input, k) => input.shape.flatMap((d, axis) => (d === null ? [{ k, axis }] : [])));
  const given = ir.inputs.map((input, k) => `\`${input.name}\` (${formatDims(input.shape)}) gets samples of ${formatDims(sampleShapes[k]!)}`).join(', ');
  let help = `give longer samples, or change \`${failure.layer}\` to fit them`;
  if (open.length === 1) {
    const [{ k, axis }] = open as [{ k: number; axis: number }];
    const fits = (n: number) => firstShapeError(ir, sampleShapes.map((s, i) => (i === k ? s.map((d, a) => (a === axis ? n : d)) : s))) === undefined;
    let shortest = sampleShapes[k]![axis]! + 1;
    while (shortest <= LONGEST_TRIED && !fits(shortest)) shortest++;
    const length = sampleShapes[k]![axis]!;
    if (shortest <= LONGEST_TRIED) help = `the model needs a length of at least ${shortest} where the input has \`?\`: give longer samples, or change \`${failure.layer}\` to fit ${length}`;
  }
  throw new DataError(`the data is too short for the model: the input ${given}, and at that size \`${failure.layer}\` fails: ${failure.message}`, { file, help });
}
