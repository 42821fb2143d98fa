/** The plain-JavaScript cpu backend: always available, slowest. */
import type { LoadedBackend } from './types.js';

export async function loadCpu(): Promise<LoadedBackend> {
  const tf = await import('@tensorflow/tfjs');
  // The backend's own "install tfjs-node" banner repeats what the selection note already says.
  tf.enableProdMode();
  await tf.setBackend('cpu');
  return { name: 'cpu', tf, detail: 'plain JavaScript' };
}
