import * as tf from '@tensorflow/tfjs';
import { captureFromArtifacts, type CapturedArtifacts } from '../bundle/artifacts';
import { BundleError } from '../bundle/bundleError';

/**
 * Saves a layers model into plain artifacts (model.json's topology, weight specs, weight bytes).
 * `downloads://` needs a document, so in a worker we capture the artifacts with
 * `tf.io.withSaveHandler` and post them to the page.
 */
export async function saveModelArtifacts(model: tf.LayersModel): Promise<CapturedArtifacts> {
  let captured: CapturedArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = captureFromArtifacts(artifacts);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured) throw new BundleError('tfjs did not call the save handler.');
  return captured;
}
