/**
 * A "model bundle": everything needed to classify text the way a trained model was trained.
 * Every path (fresh training, a zip, separate files, IndexedDB) produces one, and classification
 * always reads one, so all paths give the same numbers.
 */
import type { BundleMetadata } from './metadata';

/** One weight tensor in tfjs's `weightsManifest` (only float32 is supported here). */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
}

/** The `model.json` that `tf.loadLayersModel` reads: topology plus where the weights are. */
export interface ModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: string | null;
  modelTopology: Record<string, unknown>;
  weightsManifest: Array<{ paths: string[]; weights: WeightSpec[] }>;
}

export interface ModelBundle {
  modelJson: ModelJson;
  /** The weights' bytes, in `weightsManifest` order (the `.bin` file). */
  weightData: ArrayBuffer;
  /** Keras `Tokenizer.to_json()` text, readable by `tokenizer_from_json` and `Tokenizer.fromJson`. */
  tokenizerJson: string;
  metadata: BundleMetadata;
}
