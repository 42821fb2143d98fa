/**
 * A whole process that builds the deep dense model with tfjs-layers on the
 * cpu backend (what a user would write by hand), for comparison with
 * `mlc check` on the same spec. Usage: node tfjs-build-dense.js LAYERS WIDTH INPUT
 */
import * as tf from '@tensorflow/tfjs';

const [layers, width, input] = process.argv.slice(2).map(Number);
if (!layers || !width || !input) {
  process.stderr.write('usage: tfjs-build-dense.js LAYERS WIDTH INPUT\n');
  process.exit(2);
}
tf.enableProdMode();
await tf.setBackend('cpu');
const model = tf.sequential();
model.add(tf.layers.dense({ units: width, activation: 'relu', inputShape: [input] }));
for (let i = 1; i < layers; i++) model.add(tf.layers.dense({ units: width, activation: 'relu' }));
model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
process.stdout.write(JSON.stringify({ layers: model.layers.length, params: model.countParams() }) + '\n');
