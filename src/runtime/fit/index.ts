/**
 * What the fit section asks of training beyond the loop itself: Keras's
 * learning-rate schedules, the decisions of its callbacks, class weights and
 * seeded shuffling; and, for the emitted module, model.fit with sample
 * weights. Used by `mlc train` and copied by `mlc emit` next to the emitted
 * module, so these files import nothing from the rest of mlc.
 */
export { learningRateAt, learningRateOf, setLearningRate, type ScheduleConfig } from './schedules.js';
export {
  EarlyStopping, ModelCheckpoint, ReduceLROnPlateau,
  type CheckpointConfig, type Direction, type EarlyStoppingConfig, type EarlyStoppingStep, type EpochLogs, type PlateauConfig,
} from './callbacks.js';
export { classesOf, classWeightTable, sampleWeightsFromClasses, type ClassWeight } from './class-weights.js';
export { epochRandom, permutation, seededRandom } from './random.js';
export { fitWithSampleWeights, type WeightedFitArgs } from './weighted-fit.js';
