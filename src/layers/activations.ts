/** The activations of the v1 language (DSL.md), by their Keras names. */
export const ACTIVATIONS = [
  'linear', 'relu', 'relu6', 'elu', 'selu', 'sigmoid', 'hard_sigmoid', 'tanh',
  'softmax', 'softplus', 'softsign', 'swish', 'gelu',
] as const;
export type Activation = (typeof ACTIVATIONS)[number];
