/** The shapes that go in and out of the data loaders. Plain typed arrays only: the caller makes tensors. */

/** How labels are encoded, chosen from the model's loss. */
export type LabelMode =
  /** categorical_crossentropy: one-hot rows, [N, classes]. */
  | 'onehot'
  /** sparse_categorical_crossentropy: class indices, [N, 1]. */
  | 'sparse'
  /** binary_crossentropy: 0/1 floats, [N, 1]. */
  | 'binary'
  /** mse, mae, ...: raw numbers, [N, 1]. */
  | 'regression';

export interface DataRequest {
  /** 'mnist' | 'idx:DIR' | 'csv:FILE' | 'images:DIR' | 'json:FILE'. */
  spec: string;
  /** The model's input shape without the batch dimension; null for `?`. */
  inputShape: (number | null)[];
  inputDtype: 'float32' | 'int32';
  /** The last dimension of the model's output (the number of classes for a classifier). */
  outputUnits: number;
  labelMode: LabelMode;
  /** CSV only: the label column's name (default: the last column). */
  labelColumn?: string;
  /** CSV only: the column holding each sample's weight (Keras's sample_weight); not a feature. */
  weightColumn?: string;
  /** CSV only: the table has no label column (an autoencoder's data, whose targets are its inputs); every other column is a feature. */
  noLabels?: boolean;
  /** Caps the number of training samples: the first N, in the loader's fixed order. */
  limit?: number;
  /** Largest token id the model accepts (an embedding's input_dim - 1); checked for int32 inputs. */
  maxTokenId?: number;
  /**
   * The class names a saved model was trained with, by index: labels given by
   * name (image folders, words in a CSV) map to these, and an unknown name is an error.
   */
  classNames?: string[];
  /** JSON only: the file's contents, when the caller has parsed it already (to tell its layout). */
  json?: unknown;
}

/** Model inputs: N samples, row-major. */
export interface Inputs {
  x: Float32Array | Int32Array;
  /** With N first, e.g. [8000, 28, 28, 1]. */
  xShape: number[];
  count: number;
}

/** Model inputs with their encoded labels. */
export interface Split extends Inputs {
  y: Float32Array;
  /** [N, classes] for one-hot labels, [N, 1] otherwise. */
  yShape: number[];
  /** Each sample's weight in the loss, when the data has a weight column. */
  weights?: Float32Array;
}

export interface Dataset {
  train: Split;
  /** Held-out samples for `evaluate`; absent when the source has none. */
  test?: Split;
  /** Names of the classes by index, when the source has names (image folders, text labels in a CSV). */
  classNames?: string[];
  /** The CSV column that held the labels, when the data is a CSV file. */
  labelColumn?: string;
  /** One line for the user, e.g. "MNIST digits bundled with the mnist package: 8000 train, 2000 test". */
  description: string;
}

/** Where a sample came from, for error messages. */
export interface RecordRef {
  file: string;
  record: string;
  line?: number;
}

/**
 * What every loader produces before the shared checks: features in the
 * source's own shape and raw labels (class indices or target values).
 */
export interface Samples {
  /** count × product(sampleShape) values, row-major. */
  features: Float32Array | Int32Array;
  /** The shape of one sample as the source stores it, e.g. [28, 28] for IDX images. */
  sampleShape: number[];
  labels: Float64Array;
  /** Each sample's weight in the loss, when the source has them. */
  weights?: Float64Array;
  count: number;
  /** Names sample i for an error message. */
  recordOf(i: number): RecordRef;
}
