/** `mlc export DIR --onnx FILE`: the saved model as ONNX (src/targets/onnx), checked and written atomically. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticError, hasErrors } from '../../diagnostics/diagnostic.js';
import { EXIT_INVALID, EXIT_OK, printDiagnostics, UsageError, writeFileAtomic } from '../io.js';
import type { ExportFormat } from './export.js';

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function exportOnnxFile(dir: string, file: string): Promise<number> {
  if (!file.endsWith('.onnx')) throw new UsageError(`mlc export: --onnx takes a file name ending in .onnx; got ${file}`);
  const { compileIRJson } = await import('../../ir/pipeline.js');
  const { readSavedWeights } = await import('../../runtime/saved-weights.js');
  const { SavedModelError } = await import('../../runtime/saved-model.js');
  const { exportOnnx, ONNX_OPSET } = await import('../../targets/onnx/export.js');
  const irPath = join(dir, 'ir.json');
  const irText = readOptional(irPath);
  if (irText === undefined) {
    process.stderr.write(`${dir}: error: not a saved model: ir.json is missing (save one with \`mlc train SPEC -o ${dir}\`)\n`);
    return EXIT_INVALID;
  }
  const compiled = compileIRJson(irText, irPath);
  if (hasErrors(compiled.diagnostics) || !compiled.ir || !compiled.facts) {
    printDiagnostics(compiled.diagnostics, irPath, irText);
    return EXIT_INVALID;
  }
  // Spans in the saved IR point into the .model text it was trained from, when the folder keeps that;
  // the checked copy's point into ir.json.
  const specPath = join(dir, 'spec.model');
  const source = readOptional(specPath);
  const ir = source === undefined ? compiled.ir : (JSON.parse(irText) as typeof compiled.ir);
  try {
    const bytes = exportOnnx(ir, compiled.facts, readSavedWeights(dir));
    writeFileAtomic(file, bytes);
    process.stdout.write(`wrote ${file}: ONNX opset ${ONNX_OPSET}, ${compiled.ir.nodes.length} layers, ${(bytes.byteLength / 1024).toFixed(1)} KiB\n`);
    return EXIT_OK;
  } catch (e) {
    if (e instanceof SavedModelError) {
      process.stderr.write(`${dir}: error: ${e.message}\n`);
      return EXIT_INVALID;
    }
    if (e instanceof DiagnosticError) {
      printDiagnostics(e.diagnostics, source === undefined ? irPath : specPath, source);
      return EXIT_INVALID;
    }
    throw e;
  }
}

export const onnxFormat: ExportFormat = {
  key: 'onnx',
  flag: '--onnx <file.onnx>',
  description: 'an ONNX model (opset 17) with the trained weights, inputs channels-last as mlc takes them',
  example: 'mlc export runs/cnn --onnx cnn.onnx',
  run: exportOnnxFile,
};
