/**
 * Chooses the TensorFlow.js backend for commands that execute a model
 * (train, evaluate, predict). TensorFlow.js is imported here lazily, so the
 * compiler commands never load it.
 *
 * `auto` takes the first that loads of node-gpu, node, wasm, cpu (fastest
 * first) and says in one short line which ran, and separately why the faster
 * ones did not.
 */
import { loadCpu } from './cpu.js';
import { loadNative } from './native.js';
import {
  BackendUnavailable,
  type BackendRequest,
  type LoadedBackend,
  type SelectedBackend,
} from './types.js';
import { loadWasm } from './wasm.js';

export { BACKEND_REQUESTS, type BackendRequest, type SelectedBackend, type TfModule } from './types.js';
export { THREADS_ENV } from './wasm.js';

type Concrete = Exclude<BackendRequest, 'auto'>;
const AUTO_ORDER: readonly Concrete[] = ['node-gpu', 'node', 'wasm', 'cpu'];

const LOADERS: Record<Concrete, () => Promise<LoadedBackend>> = {
  'node-gpu': () => loadNative('node-gpu'),
  node: () => loadNative('node'),
  wasm: loadWasm,
  cpu: loadCpu,
};

/** A requested backend that cannot run; its message is one line for the user. */
export class BackendSelectionError extends Error {
  readonly exitCode = 2;
}

/** "a is R; b and c are S", grouping backends that were skipped for the same reason. */
function describeSkipped(skipped: readonly BackendUnavailable[]): string {
  const byReason = new Map<string, BackendUnavailable[]>();
  for (const s of skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s]);
  return [...byReason.values()]
    .map((group) =>
      group.length === 1
        ? `${group[0]!.backend} is ${group[0]!.reason}`
        : `${group.map((g) => g.backend).join(' and ')} are ${group[0]!.pluralReason}`,
    )
    .join('; ');
}


async function attempt(backend: Concrete): Promise<LoadedBackend | BackendUnavailable> {
  try {
    return await LOADERS[backend]();
  } catch (e) {
    if (e instanceof BackendUnavailable) return e;
    throw e;
  }
}

export async function selectBackend(requested: BackendRequest): Promise<SelectedBackend> {
  if (requested !== 'auto' && !(requested in LOADERS)) {
    throw new BackendSelectionError(`mlc: unknown backend "${String(requested)}"; choose auto, node-gpu, node, wasm or cpu`);
  }
  const order = requested === 'auto' ? AUTO_ORDER : [requested];
  const skipped: BackendUnavailable[] = [];
  for (const backend of order) {
    const result = await attempt(backend);
    if (result instanceof BackendUnavailable) {
      skipped.push(result);
      continue;
    }
    // TensorFlow.js has no gradient for dilated convolutions on any backend; mlc supplies one.
    const { registerDilatedConvGradient } = await import('../kernels/dilated-conv-gradient.js');
    registerDilatedConvGradient();
    // Nor does it train a recurrent layer over one time step (see ../kernels/unpack-gradient.ts).
    const { registerUnpackGradient } = await import('../kernels/unpack-gradient.js');
    registerUnpackGradient();
    return {
      name: result.name,
      tf: result.tf,
      note: `backend: ${result.name} (${result.detail})`,
      skipped: skipped.length === 0 ? undefined : describeSkipped(skipped),
    };
  }
  const why = describeSkipped(skipped);
  throw new BackendSelectionError(
    requested === 'auto'
      ? `mlc: no TensorFlow.js backend could load: ${why}`
      : `mlc: --backend ${requested} cannot run: ${why}; use --backend auto to take the fastest that loads`,
  );
}
