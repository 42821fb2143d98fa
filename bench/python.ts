/** Finds a Python interpreter that can import torch; the PyTorch column is skipped (never failed) without one. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const TORCH_SKIP_REASON = 'skipped: python3-torch not importable (apt-get install python3-torch)';

export interface TorchPython {
  python: string;
  torchVersion: string;
  /** The BLAS libraries torch has mapped after a matrix product (Debian's torch uses whichever libblas is installed). */
  blas: string;
}

// A product first, so the BLAS in use is loaded; then the mapped libraries whose name says blas.
const PROBE = `
import os, torch
torch.ones(64, 64) @ torch.ones(64, 64)
libs = {os.path.realpath(l.split()[-1]).rsplit('/', 1)[-1] for l in open('/proc/self/maps') if 'blas' in l.lower() and '/' in l}
print(torch.__version__)
print(' '.join(sorted(libs)) or 'unknown')
`;

/** The first of `preferred`, python3, /usr/bin/python3 whose `import torch` works, or undefined. */
export function findTorchPython(preferred?: string): TorchPython | undefined {
  const candidates = [...new Set([preferred, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c))];
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', PROBE], { encoding: 'utf8', timeout: 60_000 });
    const [version, blas] = (r.stdout ?? '').trim().split('\n');
    if (r.status === 0 && version) return { python, torchVersion: version.trim(), blas: blas?.trim() || 'unknown' };
  }
  return undefined;
}

/**
 * Debian's python3-torch runs its matrix products on whichever libblas.so.3
 * the system provides: the slow reference BLAS that `apt-get install
 * python3-torch` brings, or OpenBLAS where libopenblas0 is installed (about
 * 10x faster for the MLP). When OpenBLAS is active and the reference library
 * is present, the bench measures both, so neither figure is hidden.
 */
export const REFERENCE_BLAS_DIR = '/usr/lib/x86_64-linux-gnu/blas';

export interface TorchVariant {
  label: string;
  env: Record<string, string>;
}

export function torchVariants(torch: TorchPython): TorchVariant[] {
  const variants: TorchVariant[] = [{ label: `PyTorch (${/openblas/i.test(torch.blas) ? 'OpenBLAS' : 'as installed'})`, env: {} }];
  if (/openblas/i.test(torch.blas) && existsSync(`${REFERENCE_BLAS_DIR}/libblas.so.3`)) {
    variants.push({ label: 'PyTorch (reference BLAS)', env: { LD_LIBRARY_PATH: REFERENCE_BLAS_DIR } });
  }
  return variants;
}
