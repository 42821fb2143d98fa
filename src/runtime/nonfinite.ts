/** Why a loss became NaN or infinite, guessed from the spec and the data, most likely cause first. */
import { firstLoss } from '../ir/outputs.js';
import { probabilityActivation } from '../ir/training.js';
import type { IR } from '../ir/types.js';


export function explainNonFinite(ir: IR, largestInput: number): string {
  const causes: string[] = [];
  const compile = ir.compile;
  const lr = compile?.optimizer.args.learning_rate;
  if (typeof lr === 'number' && lr >= 0.5) {
    causes.push(`the learning rate ${lr} is probably too high: try ${compile!.optimizer.name}(lr=0.001) and raise it slowly`);
  }
  if (largestInput > 100) {
    causes.push(`the inputs are not scaled (the largest is ${largestInput}): scale them to about [0, 1], e.g. divide pixels by 255`);
  }
  const wanted = compile ? probabilityActivation(firstLoss(ir)) : undefined;
  const last = ir.nodes.find((n) => n.id === ir.outputs[0]);
  const lastActivation = last?.args.activation;
  if (wanted && lastActivation !== wanted) {
    causes.push(`${firstLoss(ir)} takes the log of probabilities, and the last layer's activation is ` +
      `\`${String(lastActivation ?? 'none')}\`, not \`${wanted}\`: the log of 0 or of a negative number is NaN`);
  }
  if (causes.length === 0) causes.push('lower the learning rate, check that the inputs are scaled and that the labels match the loss');
  return causes.join('; or ');
}
