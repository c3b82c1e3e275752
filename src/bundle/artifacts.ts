/** Between tfjs's ModelArtifacts (what `model.save` hands a save handler) and a bundle. */
import type * as tf from '@tensorflow/tfjs';
import type { BundleMetadata } from './metadata';
import { BundleError, FILE_NAMES } from './bundleError';
import { type ModelBundle, type ModelJson, type WeightSpec } from './types';

/** The part of tfjs's ModelArtifacts a bundle keeps; plain data, so it can cross postMessage. */
export interface CapturedArtifacts {
  modelTopology: Record<string, unknown>;
  weightSpecs: WeightSpec[];
  weightData: ArrayBuffer;
  generatedBy: string;
  convertedBy: string | null;
}

function concatenate(buffers: readonly ArrayBuffer[]): ArrayBuffer {
  const out = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0));
  let offset = 0;
  for (const b of buffers) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out.buffer;
}

/** Plain data from what `model.save(tf.io.withSaveHandler(...))` passes its handler. */
export function captureFromArtifacts(artifacts: tf.io.ModelArtifacts): CapturedArtifacts {
  const { modelTopology, weightSpecs, weightData } = artifacts;
  if (!modelTopology || modelTopology instanceof ArrayBuffer || !weightSpecs || !weightData) {
    throw new BundleError('tfjs saved no JSON topology or no weights for this model.');
  }
  return {
    modelTopology: modelTopology as Record<string, unknown>,
    weightSpecs: weightSpecs.map((s) => ({ name: s.name, shape: [...s.shape], dtype: s.dtype })),
    weightData: Array.isArray(weightData) ? concatenate(weightData) : (weightData as ArrayBuffer),
    generatedBy: artifacts.generatedBy ?? 'TensorFlow.js',
    convertedBy: artifacts.convertedBy ?? null,
  };
}

export function bundleFromArtifacts(
  artifacts: CapturedArtifacts,
  tokenizerJson: string,
  metadata: BundleMetadata,
): ModelBundle {
  const modelJson: ModelJson = {
    format: 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [FILE_NAMES.weights], weights: artifacts.weightSpecs }],
  };
  return { modelJson, weightData: artifacts.weightData, tokenizerJson, metadata };
}
