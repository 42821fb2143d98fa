/**
 * Random .model specs over every layer kind and every option of the layer
 * registry, with small sizes so that each accepted one trains in
 * milliseconds. Most random chains are shape errors, which is the point: the
 * test takes whatever `check` accepts.
 */
import fc from 'fast-check';

interface ArgType {
  type: string;
  min?: number;
  max?: number;
  exclusiveMin?: number;
  exclusiveMax?: number;
  length?: number;
  values?: readonly string[];
  kinds?: readonly string[];
}
interface Param {
  name: string;
  arg: ArgType;
}
export interface LayerDefLike {
  kind: string;
  positional: readonly Param[];
  options: readonly Param[];
}

/** The layer registry, wherever this version keeps it (src/layers, or src/ir/layers before). */
export async function layerDefs(): Promise<LayerDefLike[]> {
  for (const path of ['../../src/layers/index.js', '../../src/ir/layers/index.js']) {
    try {
      const mod = (await import(path)) as { LAYER_DEFS?: LayerDefLike[] };
      if (mod.LAYER_DEFS) return mod.LAYER_DEFS;
    } catch {
      // Not in this version: try the next place.
    }
  }
  throw new Error('no layer registry found');
}

/** A value for one parameter, as written in a spec; small, mostly valid, sometimes at the edges. */
function valueOf(arg: ArgType, defs: readonly LayerDefLike[]): fc.Arbitrary<string> {
  switch (arg.type) {
    case 'int':
      return arg.min === undefined ? fc.integer({ min: -3, max: 3 }).map(String) : fc.integer({ min: arg.min, max: arg.min + 5 }).map(String);
    case 'float': {
      const lo = arg.min ?? arg.exclusiveMin ?? 0;
      const hi = arg.max ?? arg.exclusiveMax ?? lo + 1;
      return fc.constantFrom(lo + (hi - lo) * 0.1, lo + (hi - lo) / 2, lo + (hi - lo) * 0.9, arg.exclusiveMin === undefined ? lo : lo + 1e-3).map((v) => String(Number(v.toPrecision(3))));
    }
    case 'bool':
      return fc.constantFrom('true', 'false');
    case 'enum':
    case 'string':
      return fc.constantFrom(...(arg.values ?? ['x']));
    case 'tuple':
      return fc.oneof(
        fc.integer({ min: arg.min ?? 1, max: 3 }).map(String),
        fc.array(fc.integer({ min: arg.min ?? 1, max: 3 }), { minLength: arg.length ?? 1, maxLength: arg.length ?? 1 }).map((a) => a.join('x')),
      );
    case 'floats':
      return fc.constantFrom('0.5', '2', '[0.5, 1]', '[1, 2, 3]');
    case 'factor':
      // One number or a pair [lower, upper], within every augmentation layer's bounds.
      return fc.constantFrom('0.1', '[0.1, 0.2]', '[0, 0.5]', '[0.3, 0.3]');
    case 'shape':
      return fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }).chain((dims) =>
        fc.constantFrom(dims.join('x'), `[-1, ${dims.slice(1).join(', ') || '1'}]`));
    case 'layer': {
      // A wrapped layer: its kind and its own positional arguments.
      const wrapped = defs.filter((d) => (arg.kinds ?? []).includes(d.kind));
      return fc.constantFrom(...wrapped).chain((d) => fc.tuple(...d.positional.map((p) => valueOf(p.arg, defs))).map((vals) => [d.kind, ...vals].join(' ')));
    }
    default:
      return fc.constant('1');
  }
}

/** One layer line: its kind, some or all of its positional arguments, and any of its options. */
function layerLine(def: LayerDefLike, defs: readonly LayerDefLike[]): fc.Arbitrary<string> {
  const positional = fc.tuple(...def.positional.map((p) => valueOf(p.arg, defs)));
  const options = def.options.length === 0
    ? fc.constant([] as string[])
    : fc.subarray([...def.options]).chain((opts) => fc.tuple(...opts.map((o) => valueOf(o.arg, defs).map((v) => `${o.name}=${v}`))));
  // Trailing positional arguments may be left out (an activation, a kernel size defaulting to the filters').
  return fc.tuple(positional, fc.nat({ max: 1 }), options).map(([pos, drop, opts]) => {
    const kept = def.positional.length > 1 ? pos.slice(0, pos.length - drop) : pos;
    return [def.kind, ...kept, ...opts].join(' ');
  });
}

const LOSSES = ['mse', 'mae', 'binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy', 'hinge', 'categorical_hinge', 'kl_divergence', 'poisson', 'log_cosh', 'msle', 'mape', 'squared_hinge'];
const OPTIMIZERS = ['sgd', 'sgd(momentum=0.9, nesterov=true)', 'rmsprop', 'rmsprop(centered=true)', 'adam', 'adagrad', 'adadelta', 'adamax'];

/** A spec: an input of rank 1 to 3 (or an image of 5 to 10 pixels a side, or int32 ids), 1 to 4 random layers, often a flatten and a dense head, a compile line. */
export function randomSpec(defs: readonly LayerDefLike[]): fc.Arbitrary<string> {
  const layer = fc.constantFrom(...defs).chain((d) => layerLine(d, defs));
  const input = fc.oneof(
    fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }).map((dims) => `input ${dims.join('x')}`),
    // Images large enough for the image kinds' kernels, crops and transforms.
    fc.tuple(fc.integer({ min: 5, max: 10 }), fc.integer({ min: 5, max: 10 }), fc.integer({ min: 1, max: 3 })).map((dims) => `input ${dims.join('x')}`),
    fc.integer({ min: 1, max: 6 }).map((n) => `input ${n} int32`),
    fc.constant('input ?x3'),
  );
  const head = fc.oneof(
    fc.constant([] as string[]),
    fc.tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom('softmax', 'sigmoid', 'linear', 'relu')).map(([u, a]) => ['flatten', `dense ${u} ${a}`]),
    fc.tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom('softmax', 'sigmoid', 'linear')).map(([u, a]) => [`dense ${u} ${a}`]),
  );
  return fc
    .tuple(input, fc.array(layer, { minLength: 1, maxLength: 4 }), head, fc.constantFrom(...LOSSES), fc.constantFrom(...OPTIMIZERS))
    .map(([inp, layers, tail, loss, opt]) => [inp, ...layers, ...tail, `compile loss=${loss} optimizer=${opt}`].join('\n') + '\n');
}
