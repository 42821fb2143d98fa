/**
 * The bench models written by hand in plain tfjs-layers, as a tutorial reader
 * would write them: tf.sequential, layer by layer, compiled with the spec's
 * loss and optimizer. mlc's training column is compared against these.
 */
import type { TfModule } from '../../src/runtime/backend/select.js';
import type { ModelName } from '../models.js';

type Sequential = ReturnType<TfModule['sequential']>;

function mlp(tf: TfModule): Sequential {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 512, activation: 'relu', inputShape: [784] }));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  m.compile({ loss: 'categoricalCrossentropy', optimizer: 'rmsprop', metrics: ['accuracy'] });
  return m;
}

function cnn(tf: TfModule): Sequential {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ filters: 32, kernelSize: 5, activation: 'relu', inputShape: [28, 28, 1] }));
  m.add(tf.layers.conv2d({ filters: 64, kernelSize: 5, activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  m.compile({ loss: 'categoricalCrossentropy', optimizer: 'rmsprop', metrics: ['accuracy'] });
  return m;
}

function lenet5(tf: TfModule): Sequential {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ filters: 6, kernelSize: 5, activation: 'sigmoid', inputShape: [28, 28, 1] }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  m.add(tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'sigmoid' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 120, activation: 'sigmoid' }));
  m.add(tf.layers.dense({ units: 84, activation: 'sigmoid' }));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  m.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: tf.train.sgd(0.9), metrics: ['accuracy'] });
  return m;
}

export const HANDWRITTEN: Record<ModelName, (tf: TfModule) => Sequential> = { mlp, cnn, lenet5 };
