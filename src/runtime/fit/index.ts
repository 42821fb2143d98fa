/**
 * What the fit section asks of training beyond the loop itself: Keras's
 * learning-rate schedules, the decisions of its callbacks and class weights.
 * Used by `mlc train` and copied by `mlc emit` next to the emitted module, so
 * these files import nothing.
 */
export { learningRateAt, learningRateOf, setLearningRate, type ScheduleConfig } from './schedules.js';
export {
  EarlyStopping, ModelCheckpoint, ReduceLROnPlateau,
  type CheckpointConfig, type Direction, type EarlyStoppingConfig, type EarlyStoppingStep, type EpochLogs, type PlateauConfig,
} from './callbacks.js';
export { classesOf, classWeightTable, sampleWeightsFromClasses, type ClassWeight } from './class-weights.js';
