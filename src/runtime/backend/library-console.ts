/**
 * TensorFlow.js talks through `console` (the Orthogonal initializer's
 * "Slowness may result" during LSTM training, the hint to install tfjs-node,
 * kernel re-registration notes). mlc itself never writes through `console`,
 * so while a command runs a model, what arrives there is the library's: it is
 * dropped, or with --verbose passed to stderr marked as the library's.
 * console.error is left alone.
 */
const METHODS = ['log', 'info', 'warn', 'debug'] as const;

let installed = false;

export function quietLibraryConsole(opts: { verbose?: boolean } = {}): void {
  if (installed) return;
  installed = true;
  for (const method of METHODS) {
    console[method] = opts.verbose
      ? (...args: unknown[]) => void process.stderr.write(`tensorflow.js: ${args.map(String).join(' ')}\n`)
      : () => {};
  }
}
