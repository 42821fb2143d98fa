/** The machine the figures were taken on, printed first so a README can quote it. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { REPO_ROOT } from './paths.js';
import type { TorchPython } from './python.js';
import { TORCH_SKIP_REASON } from './python.js';

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) return line.split(':').slice(1).join(':').trim();
  } catch {
    // not Linux: fall back to what Node reports
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function packageVersion(name: string): string {
  try {
    const req = createRequire(`${REPO_ROOT}/package.json`);
    return (req(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

export function machineLines(torch: TorchPython | undefined): [string, string][] {
  return [
    ['cpu', cpuModel()],
    ['cores', `${os.availableParallelism()} available to Node (${os.cpus().length} logical)`],
    ['memory', `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`],
    ['os', `${os.type()} ${os.release()} ${os.arch()}`],
    ['node', process.version],
    ['tfjs', `@tensorflow/tfjs ${packageVersion('@tensorflow/tfjs')}, tfjs-backend-wasm ${packageVersion('@tensorflow/tfjs-backend-wasm')}`],
    ['torch', torch ? `${torch.torchVersion} (${torch.python}; BLAS: ${torch.blas})` : TORCH_SKIP_REASON],
  ];
}
