// Bundles the CLI's front end (check, summary, ir, fmt: src/cli/front-end.ts
// and all it imports: parser, IR, diagnostics, chevrotain, commander) into
// dist/src/cli/mlc.cjs and records a V8 code cache for it; part of
// `npm run build`, after tsc. Why: `mlc check` is a short process, and most
// of its time went on loading some ninety ES modules and compiling them. One
// CommonJS file, compiled from a code cache by dist/src/cli/bin.cjs, starts
// in a fraction of that. The other commands run unbundled (dist/src/cli/main.js).
import { execFileSync } from 'node:child_process';
import { readdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'dist/src/cli');
const BUNDLE = join(outDir, 'mlc.cjs');
const BIN = join(outDir, 'bin.cjs');

// src/parser/chevrotain.ts finds chevrotain's single-file build at run time
// (with a top-level await, which a CommonJS bundle cannot have); here the
// bundler takes that same file directly.
const chevrotainBuild = join(dirname(createRequire(import.meta.url).resolve('chevrotain')), '..', 'chevrotain.mjs');
const chevrotainLoader = {
  name: 'chevrotain-loader',
  setup(build) {
    build.onResolve({ filter: /^\.\/chevrotain\.js$/ }, (args) =>
      dirname(args.importer) === join(root, 'src/parser') ? { path: args.path, namespace: 'chevrotain-loader' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'chevrotain-loader' }, () => ({
      contents: `import * as chevrotain from ${JSON.stringify(chevrotainBuild)}; export { chevrotain };`,
      resolveDir: root,
      loader: 'js',
    }));
  },
};

await esbuild.build({
  entryPoints: [join(root, 'src/cli/front-end.ts')],
  outfile: BUNDLE,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // import.meta.url as the bundle's own URL: only used to find packages, which resolve the same from here.
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: 'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  plugins: [chevrotainLoader],
  logLevel: 'warning',
});

// The code cache: the bin records what it compiled while checking and
// summarising every spec, so that later runs skip compiling those functions.
// Each run starts from the previous cache and adds to it.
const cache = `${BUNDLE}.v8cache`;
rmSync(cache, { force: true });
const specs = readdirSync(join(root, 'specs')).filter((f) => f.endsWith('.model')).map((f) => join('specs', f));
const tmp = `${cache}.tmp`;
for (const args of [['summary', 'specs/lenet5.model'], ['check', ...specs]]) {
  execFileSync(process.execPath, [BIN, ...args], { cwd: root, stdio: 'ignore', env: { ...process.env, MLC_WRITE_CODE_CACHE: tmp } });
  renameSync(tmp, cache);
}
