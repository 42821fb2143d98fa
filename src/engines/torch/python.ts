/** Finding a Python that can import torch: MLC_PYTHON, then python3, then /usr/bin/python3 (where Debian's python3-torch lives). */
import { spawnSync } from 'node:child_process';

/** One line for a missing PyTorch, with the fix. */
export const NO_TORCH_HELP =
  'apt-get install python3-torch libopenblas0-pthread (Debian, Ubuntu), or pip install torch numpy; ' +
  'set MLC_PYTHON to the python to use';

export interface TorchPython {
  python: string;
  torchVersion: string;
  cuda: boolean;
}

const PROBE = 'import numpy, torch; print(torch.__version__, torch.cuda.is_available())';

let found: TorchPython | null | undefined;

/** The candidates, in order; MLC_PYTHON alone when set. */
export function pythonCandidates(): string[] {
  const chosen = process.env.MLC_PYTHON;
  return chosen ? [chosen] : ['python3', '/usr/bin/python3'];
}

/** The first candidate whose `import torch, numpy` works, or undefined; probed once per process. */
export function findTorchPython(): TorchPython | undefined {
  if (found !== undefined) return found ?? undefined;
  found = null;
  for (const python of pythonCandidates()) {
    const r = spawnSync(python, ['-c', PROBE], { encoding: 'utf8', timeout: 120_000 });
    const [version, cuda] = (r.stdout ?? '').trim().split(/\s+/);
    if (r.status === 0 && version) {
      found = { python, torchVersion: version, cuda: cuda === 'True' };
      break;
    }
  }
  return found ?? undefined;
}
