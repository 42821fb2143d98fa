/** Shared by the PyTorch tests: the python to use, or a printed reason to skip. */
import { findTorchPython, type TorchPython } from '../../src/engines/torch/python.js';

export const torchPython: TorchPython | undefined = findTorchPython();

/** `skip` for node:test: false with torch, the reason (also printed, so a skip is never silent) without. */
export function skipWithoutTorch(what: string): string | false {
  if (torchPython) return false;
  const reason = `skipped: no python with torch for ${what} (apt-get install python3-torch, or set MLC_PYTHON)`;
  console.log(`# note: ${reason}`);
  return reason;
}
