/**
 * `mlc emit --target ts`: the IR as one self-contained TypeScript module
 * (buildModel, compileModel, train, main; useWasmBackend for the wasm target)
 * plus the helper files it imports: the data loaders, the fit helpers and,
 * for wasm, the kernels. The source text only supplies comments; the code comes from the
 * IR, through the same lowerings the runtime uses.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { format } from 'prettier';
import { error, hasErrors, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { IR, ModelFacts } from '../ir/types.js';
import { backendImports, backendSection, backendSetupStatement } from './backend-section.js';
import { compileSection } from './compile-section.js';
import { modelDataRequest, reconstruction } from './data-request.js';
import { DEFAULT_TFJS_TARGET, header, TFJS_TARGETS, type TfjsTarget } from './header.js';
import { modelSection, type ModelSection } from './model-section.js';
import { SourceComments } from './source-comments.js';
import { dataHelperFiles, kernelHelperFiles, LAYER_HELPERS_DIR, layerHelperFiles, type EmittedFile, fitHelperFiles } from './support-files.js';
import { adaptsToData } from '../runtime/adapt.js';
import { importsForTraining, trainSection } from './train-section.js';

export interface EmitOptions {
  /** Which TensorFlow.js package and backend the module uses (default 'wasm': @tensorflow/tfjs on its wasm backend). */
  tfjs?: TfjsTarget;
  /** The data source train() uses by default, as `mlc train --data` takes it; default: what `mlc train` picks. */
  data?: string;
  /** The CSV column of `data` holding each sample's weight in the loss, as `mlc train --sample-weight` takes it. */
  sampleWeight?: string;
  /** The spec's text, for the comments above each layer; never parsed. */
  source?: string;
  /** The spec's file name, for the header. */
  specFile?: string;
  /** The module's file name without extension, for the usage lines of the header (default: the model's name). */
  moduleName?: string;
  /**
   * The folder the module is written to (default: the working folder). A
   * relative `data` path, given from the working folder, is stored relative
   * to this folder, and the module resolves it against its own location.
   */
  moduleDir?: string;
}

export interface EmitResult {
  /** The formatted module; absent when there are errors. */
  code?: string;
  /** Files the module imports, to be written next to it; empty when there are errors. */
  helpers: EmittedFile[];
  /** Errors mean nothing may be written; warnings may come with code. */
  diagnostics: Diagnostic[];
}

/** The default data source: the one given, checked, or the one `mlc train` would pick. */
async function defaultData(ir: IR, data: string | undefined, moduleDir: string): Promise<{ spec?: string; diagnostics: Diagnostic[] }> {
  // Loaded on use: the loaders' index also pulls in sharp and csv-parse, which emitting never calls.
  const { DataError, defaultDataSpec, parseDataSpec } = await import('../runtime/data/index.js');
  if (data === undefined) {
    const input = ir.inputs[0];
    return { spec: input ? defaultDataSpec(input.shape, input.dtype) : undefined, diagnostics: [] };
  }
  try {
    const { kind, path } = parseDataSpec(data);
    if (kind === 'mnist') return { spec: data, diagnostics: [] };
    // `kind:path` always, with the path as seen from the module (forward slashes, so it reads the same on every system).
    const fromModule = isAbsolute(path) ? path : relative(resolve(moduleDir), resolve(path)).split('\\').join('/') || '.';
    return { spec: `${kind}:${fromModule}`, diagnostics: [] };
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    return { diagnostics: [error('E-EMIT-DATA', `--data: ${e.message}`, undefined, e.help)] };
  }
}

/** `--sample-weight` names a column of the `--data` CSV file the module trains on by default. */
function sampleWeightDiagnostics(options: EmitOptions): Diagnostic[] {
  if (options.sampleWeight === undefined || /^csv:|\.csv$/i.test(options.data ?? '')) return [];
  return [error('E-EMIT-DATA', `--sample-weight ${options.sampleWeight} names a column of the --data CSV file; ${options.data === undefined ? 'no --data was given' : `\`${options.data}\` is not one`}`,
    undefined, 'give `--data csv:FILE` too, or leave out --sample-weight (the program also takes --sample-weight when it runs)')];
}

export async function emitTypeScript(ir: IR, facts: ModelFacts, options: EmitOptions = {}): Promise<EmitResult> {
  const target = options.tfjs ?? DEFAULT_TFJS_TARGET;
  if (!TFJS_TARGETS.includes(target)) {
    return { helpers: [], diagnostics: [error('E-EMIT-TARGET', `unknown --tfjs target \`${target}\``, undefined, `use one of: ${TFJS_TARGETS.join(', ')}`)] };
  }
  const comments = new SourceComments(options.source);
  const model = modelSection(ir, comments);
  if (!ir.compile || ir.inputs.length !== 1 || ir.outputs.length !== 1) return modelOnly(ir, target, options, model, comments);
  const compile = compileSection(ir, comments);
  const request = modelDataRequest(ir, facts);
  const data = await defaultData(ir, options.data, options.moduleDir ?? '.');
  const diagnostics = [...model.diagnostics, ...compile.diagnostics, ...request.diagnostics, ...data.diagnostics, ...sampleWeightDiagnostics(options)];
  if (hasErrors(diagnostics) || request.request === undefined) return { helpers: [], diagnostics };

  const imports = backendImports(target);
  const code = [
    header(ir, target, options.specFile, options.moduleName ?? ir.name),
    ...imports.packages,
    ...importsForTraining([...imports.nodePath, 'dirname', 'resolve']),
    ...imports.helpers,
    ...customImports(model, compile.usesCustomLosses, adaptsToData(ir)),
    '',
    model.code,
    '',
    compile.code,
    backendSection(target),
    trainSection(ir, request.request, data.spec, comments, backendSetupStatement(target), compile.metricNames, reconstruction(ir, facts), options.sampleWeight),
  ].join('\n');
  const formatted = await format(code, { parser: 'typescript' });
  const helpers = [
    ...dataHelperFiles(),
    ...(target === 'wasm' ? kernelHelperFiles() : []),
    ...(usesLayerHelpers(model, compile.usesCustomLosses) ? layerHelperFiles() : []),
    ...fitHelperFiles(),
  ];
  return { code: formatted, helpers, diagnostics };
}

/**
 * A module with buildModel() (and compileModel() when the spec has a compile
 * section) but no training code: for a spec without `compile`, and for a
 * graph of several inputs or outputs, which the emitted data loaders (one
 * input, one label) cannot feed. A warning says what is left out and why.
 */
async function modelOnly(ir: IR, target: TfjsTarget, options: EmitOptions, model: ModelSection, comments: SourceComments): Promise<EmitResult> {
  const compile = ir.compile ? compileSection(ir, comments) : undefined;
  const why = !ir.compile
    ? warning('W-EMIT-NO-TRAINING', 'the spec has no `compile` section, so the module has buildModel() but no training code',
        undefined, 'add a line such as `compile loss=categorical_crossentropy optimizer=adam metrics=[accuracy]` to emit training code too')
    : warning('W-EMIT-NO-TRAINING', `the emitted training code feeds one input and one output; this model has ${ir.inputs.length} and ${ir.outputs.length}, so the module has buildModel() and compileModel() but no training loop`,
        undefined, 'train it with `mlc train --data json:FILE` (a field per input and output), or call model.fit on buildModel() yourself');
  const diagnostics = [...model.diagnostics, ...(compile?.diagnostics ?? []), why];
  if (hasErrors(diagnostics)) return { helpers: [], diagnostics };
  const code = [
    header(ir, target, options.specFile, options.moduleName ?? ir.name, compile ? ['buildModel', 'compileModel'] : ['buildModel']),
    ...customImports(model, compile?.usesCustomLosses),
    '',
    model.code,
    ...(compile ? ['', compile.code] : []),
  ].join('\n');
  const formatted = await format(code, { parser: 'typescript' });
  return { code: formatted, helpers: usesLayerHelpers(model, compile?.usesCustomLosses) ? layerHelperFiles() : [], diagnostics };
}

/** Whether the module needs ./mlc-layers/ (mlc's own layers, losses or layer helpers). */
function usesLayerHelpers(model: ModelSection, losses: boolean | undefined): boolean {
  return model.usesCustomLayers || model.layerHelpers.length > 0 || losses === true;
}

/** The import of mlc's own layers, losses and helpers (./mlc-layers/), when the module uses any. */
function customImports(model: ModelSection, losses: boolean | undefined, adapts = false): string[] {
  const names = [...(model.usesCustomLayers ? ['customLayers'] : []), ...(losses ? ['customLosses'] : []), ...(adapts ? ['adaptNormalization'] : []), ...model.layerHelpers];
  return names.length > 0 ? [`import { ${names.join(', ')} } from './${LAYER_HELPERS_DIR}/index.js';`] : [];
}
