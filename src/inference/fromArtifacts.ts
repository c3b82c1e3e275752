/** The plain forward pass of exactly what a run saves: the artifacts a bundle is made of. */
import type { CapturedArtifacts } from '../bundle/artifacts';
import { checkWeights, readArchitecture, validateModelJson } from '../bundle/topology';
import { FILE_NAMES } from '../bundle/bundleError';
import { LstmClassifier } from './lstmClassifier';

/**
 * The classifier the Classify box and a downloaded bundle use, built from saved artifacts (the
 * bytes that go into model.weights.bin), not from the model in memory.
 */
export function classifierFromArtifacts(artifacts: CapturedArtifacts): LstmClassifier {
  const modelJson = validateModelJson({
    format: 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [FILE_NAMES.weights], weights: artifacts.weightSpecs }],
  });
  const architecture = readArchitecture(modelJson);
  const offsets = checkWeights(modelJson, architecture, artifacts.weightData.byteLength);
  // A copy: the artifacts' buffer is transferred to the page afterwards.
  return new LstmClassifier({ architecture, weights: new Float32Array(artifacts.weightData.slice(0)), offsets });
}
