/** The TensorFlow.js namespace and types the runtime uses, as types only: tfjs itself is loaded lazily by the backend selection. */
export type TF = typeof import('@tensorflow/tfjs');
export type { LayersModel, Tensor, Scalar, SymbolicTensor, Rank } from '@tensorflow/tfjs';
