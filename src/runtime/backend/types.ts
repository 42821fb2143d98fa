/** Shared shapes of the backend selection: what was asked for, what was loaded, why something was not. */
export type TfModule = typeof import('@tensorflow/tfjs');

export type BackendRequest = 'auto' | 'node-gpu' | 'node' | 'wasm' | 'cpu';
export const BACKEND_REQUESTS: readonly BackendRequest[] = ['auto', 'node-gpu', 'node', 'wasm', 'cpu'];

export interface SelectedBackend {
  /** The backend that runs: 'node-gpu', 'node', 'wasm' or 'cpu'. */
  name: string;
  /** The TensorFlow.js namespace, with that backend active. */
  tf: TfModule;
  /** One short line for the user: the backend and how it runs, e.g. `backend: wasm (simd, 2 threads)`. */
  note: string;
  /** Why faster backends were passed over (only `auto` tries several); shown with --verbose. */
  skipped?: string;
}

/** One backend that could be loaded: its name and how it runs (e.g. "simd, 2 threads"). */
export interface LoadedBackend {
  name: string;
  tf: TfModule;
  detail: string;
}

/**
 * A backend that cannot load here. `reason` is one line read after "<backend> is";
 * `pluralReason` is the same after "<a> and <b> are", when several share it.
 */
export class BackendUnavailable extends Error {
  constructor(
    readonly backend: string,
    readonly reason: string,
    readonly pluralReason: string = reason,
  ) {
    super(`${backend} is ${reason}`);
  }
}

/** The first line of an error's message, for one-line reports. */
export function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0]!.trim();
}
