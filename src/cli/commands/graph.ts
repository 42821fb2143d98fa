import type { Command } from 'commander';
import { extname } from 'node:path';
import { COLLAPSE_ABOVE_LAYERS, modelDot, modelSvg } from '../../graph/index.js';
import { EXIT_INVALID, UsageError, writeFileAtomic } from '../io.js';
import { loadSpec } from '../load.js';

/** PNGs are rendered at twice the SVG's CSS size, so text stays sharp on high-density screens. */
const PNG_SCALE = 2;
const FORMATS = ['.svg', '.png', '.dot'];

export function register(program: Command): void {
  program
    .command('graph')
    .description('draw the model: one box per layer with its arguments and parameters, edges labelled with shapes')
    .argument('<file>', 'spec file (.model text or IR .json)')
    .requiredOption('-o, --output <file>', 'the picture to write: .svg, .png or .dot (Graphviz)')
    .option('--collapse', 'draw each block call as one box')
    .option('--no-collapse', `draw every layer inside block calls (the default up to ${COLLAPSE_ABOVE_LAYERS} layers)`)
    .addHelpText('after', '\nExample:\n  $ mlc graph specs/lenet5.model -o lenet5.svg\n  $ mlc graph specs/lenet5.model -o lenet5.png')
    .action(async (file: string, opts: { output: string; collapse?: boolean }) => {
      const format = extname(opts.output).toLowerCase();
      if (!FORMATS.includes(format)) {
        throw new UsageError(`mlc graph: cannot tell the picture's format from ${opts.output}; end it in .svg, .png or .dot`);
      }
      const spec = loadSpec(file);
      if (!spec.ok || !spec.ir) {
        process.exitCode = EXIT_INVALID;
        return;
      }
      const options = { collapse: opts.collapse };
      if (format === '.dot') {
        writeFileAtomic(opts.output, modelDot(spec.ir, spec.facts, options).text);
        process.stdout.write(`wrote ${opts.output}\n`);
        return;
      }
      const svg = modelSvg(spec.ir, spec.facts, options);
      const collapsed = svg.collapsedLayers > 0 ? ` (block calls collapsed; --no-collapse draws their ${svg.collapsedLayers} layers)` : '';
      if (format === '.svg') {
        writeFileAtomic(opts.output, svg.text);
        process.stdout.write(`wrote ${opts.output} (${svg.width}×${svg.height})${collapsed}\n`);
        return;
      }
      const { default: sharp } = await import('sharp');
      const png = await sharp(Buffer.from(svg.text), { density: 72 * PNG_SCALE }).png().toBuffer({ resolveWithObject: true });
      writeFileAtomic(opts.output, png.data);
      process.stdout.write(`wrote ${opts.output} (${png.info.width}×${png.info.height} pixels)${collapsed}\n`);
    });
}
