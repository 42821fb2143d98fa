import { Option, type Command } from 'commander';
import { basename, dirname, join } from 'node:path';
// The target list only (no prettier): the code generator itself is loaded on use.
import { DEFAULT_TFJS_TARGET, TFJS_TARGETS, type TfjsTarget } from '../../codegen/header.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { EXIT_INVALID, printDiagnostics, UsageError, whyNotWritableFile, writeFileAtomic } from '../io.js';
import { isIRFile, loadSpec } from '../load.js';

/** `--target pytorch`: one standalone Python file (see src/codegen/pytorch/). */
async function emitPython(file: string, opts: EmitFlags): Promise<void> {
  if (opts.output !== undefined && !opts.output.endsWith('.py')) {
    throw new UsageError(`mlc emit: -o takes a Python file name ending in .py; got ${opts.output}`);
  }
  const spec = loadSpec(file);
  if (!spec.ok || !spec.ir || !spec.facts) {
    process.exitCode = EXIT_INVALID;
    return;
  }
  const { emitPyTorch } = await import('../../codegen/pytorch/emit.js');
  // With --data, the arrays mlc reads from it go beside the program (FILE-data/), its default --data.
  const dataDir = opts.data !== undefined && opts.output !== undefined ? opts.output.replace(/\.py$/, '-data') : undefined;
  if (opts.data !== undefined && dataDir === undefined) {
    throw new UsageError('mlc emit --target pytorch --data: give -o FILE.py too; the data goes beside it, in FILE-data/');
  }
  if (opts.sampleWeight !== undefined && opts.data === undefined) {
    throw new UsageError('mlc emit --target pytorch --sample-weight: give --data csv:FILE -o FILE.py too; the weights go beside the program with the data');
  }
  const result = emitPyTorch(spec.ir, spec.facts, {
    specFile: file, data: dataDir ? `arrays:${basename(dataDir)}` : undefined, fileName: opts.output ? basename(opts.output) : undefined,
  });
  printDiagnostics(result.diagnostics, file, spec.source);
  if (result.code === undefined) {
    process.exitCode = EXIT_INVALID;
    return;
  }
  if (dataDir !== undefined) {
    const { writeDataArrays } = await import('../../engines/torch/arrays.js');
    const { reportRuntimeError } = await import('../../runtime/report-error.js');
    try {
      process.stderr.write(`data: ${await writeDataArrays(spec.ir, spec.facts, opts.data!, dataDir, { sampleWeight: opts.sampleWeight })}\n`);
    } catch (e) {
      process.exitCode = reportRuntimeError(e, file, spec.source);
      return;
    }
  }
  if (opts.output === undefined) process.stdout.write(result.code);
  else writeFileAtomic(opts.output, result.code);
}

const TARGETS = ['ts', 'pytorch'];

interface EmitFlags {
  target: string;
  output?: string;
  tfjs: TfjsTarget;
  data?: string;
  sampleWeight?: string;
}

export function register(program: Command): void {
  program
    .command('emit')
    .description('write a standalone program that builds, compiles and trains the model: TypeScript (TensorFlow.js) or Python (PyTorch)')
    .argument('<file>', 'spec file (.model text or IR .json)')
    .addOption(new Option('--target <language>', 'the language to emit').choices(TARGETS).default('ts'))
    .option('-o, --output <file>', 'write the module here (atomically): FILE.ts with its helpers in mlc-data/ and mlc-fit/ (and mlc-kernels/ for wasm) next to it, or FILE.py for pytorch; default: stdout')
    .addOption(new Option('--tfjs <target>', 'the TensorFlow.js package and backend: wasm = @tensorflow/tfjs on the wasm backend with mlc\'s training kernels '
      + '(fast on Node, no native install; kernels in mlc-kernels/), web = @tensorflow/tfjs as is (WebGL in a browser, slow pure-JS cpu on Node), '
      + 'node = tfjs-node, node-gpu = tfjs-node-gpu')
      .choices(TFJS_TARGETS).default(DEFAULT_TFJS_TARGET))
    .option('--data <spec>', 'the data train() uses by default: mnist, idx:DIR, csv:FILE, images:DIR or json:FILE (default: as `mlc train`)')
    .option('--sample-weight <name>', "with --data csv:FILE: the column holding each sample's weight in the loss (Keras's sample_weight), which the program then trains with by default")
    .addHelpText('after', [
      '',
      'Example:',
      '  $ mlc emit specs/mnist-cnn.model --target ts -o out/mnist-cnn.ts',
      '  $ npx tsx out/mnist-cnn.ts --epochs 1 --limit 1000',
      '  $ mlc emit specs/mnist-mlp.model --target ts -o out/mnist-mlp.ts --tfjs node',
      '  $ mlc emit specs/mnist-cnn.model --target pytorch -o out/mnist_cnn.py',
    ].join('\n'))
    .action(async (file: string, opts: EmitFlags) => {
      if (opts.target === 'pytorch') return emitPython(file, opts);
      if (opts.output !== undefined && !/\.[cm]?ts$/.test(opts.output)) {
        throw new UsageError(`mlc emit: -o takes a TypeScript file name ending in .ts; got ${opts.output}`);
      }
      const unwritable = opts.output === undefined ? undefined : whyNotWritableFile(opts.output);
      if (unwritable) throw new UsageError(`mlc emit: cannot write -o ${opts.output}: ${unwritable}`);
      const spec = loadSpec(file);
      if (!spec.ok || !spec.ir || !spec.facts) {
        process.exitCode = EXIT_INVALID;
        return;
      }
      // Loaded on demand so that the other commands never load prettier.
      const { emitTypeScript } = await import('../../codegen/index.js');
      const result = await emitTypeScript(spec.ir, spec.facts, {
        tfjs: opts.tfjs,
        data: opts.data,
        sampleWeight: opts.sampleWeight,
        // The layer comments quote .model lines; an IR file's spans point into JSON, which would make poor comments.
        source: isIRFile(file) ? undefined : spec.source,
        specFile: file,
        moduleName: opts.output === undefined ? undefined : basename(opts.output).replace(/\.[cm]?ts$/, ''),
        // Printed to stdout, the module is most likely saved in the working folder.
        moduleDir: opts.output === undefined ? '.' : dirname(opts.output),
      });
      printDiagnostics(result.diagnostics, file, spec.source);
      if (hasErrors(result.diagnostics) || result.code === undefined) {
        process.exitCode = EXIT_INVALID;
        return;
      }
      if (opts.output === undefined) {
        process.stdout.write(result.code);
        const folders = [...new Set(result.helpers.map((h) => h.path.split('/')[0]))];
        if (folders.length > 0) {
          process.stderr.write(`note: the module imports ${folders.map((f) => `./${f}/`).join(', ')}; run with -o FILE.ts to write those helper files too\n`);
        }
        return;
      }
      // The helpers first: the module only appears once everything it imports is in place.
      const dir = dirname(opts.output);
      const files = [...result.helpers.map((h) => ({ path: join(dir, ...h.path.split('/')), text: h.text })), { path: opts.output, text: result.code }];
      for (const f of files) {
        const why = whyNotWritableFile(f.path);
        if (why) throw new UsageError(`mlc emit: cannot write ${f.path}: ${why}`);
      }
      try {
        for (const f of files) writeFileAtomic(f.path, f.text);
      } catch (e) {
        throw new UsageError(`mlc emit: cannot write next to ${opts.output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    });
}
