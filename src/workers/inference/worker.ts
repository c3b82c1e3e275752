/// <reference lib="webworker" />
import { bundleFromFiles, bundleToFiles, bundleToZip, type NamedBytes } from '../../bundle/files';
import type { ModelBundle } from '../../bundle/types';
import { validateBundle } from '../../bundle/validate';
import { ReviewClassifier } from '../../inference/reviewClassifier';
import { serve, transfer } from '../rpc';
import type { InferenceWorkerApi, ModelReady } from './api';

/** The model in use. Replaced only by a bundle that passed every check. */
let current: { bundle: ModelBundle; classifier: ReviewClassifier } | null = null;

function adopt(bundle: ModelBundle): { ready: ModelReady; bundle: ModelBundle } {
  const started = performance.now();
  const validated = validateBundle(bundle);
  const classifier = new ReviewClassifier(validated);
  current = { bundle: validated.bundle, classifier };
  return {
    ready: { architecture: validated.architecture, milliseconds: performance.now() - started },
    bundle: validated.bundle,
  };
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'model'
  );
}

const api: InferenceWorkerApi = {
  async setBundle(bundle) {
    return adopt(bundle).ready;
  },
  async loadFiles(files) {
    return adopt(bundleFromFiles(files));
  },
  async classify(text) {
    if (!current) throw new Error('No model is loaded: train one or load a saved model first.');
    return current.classifier.classify(text);
  },
  async leaveOneOut(text) {
    if (!current) throw new Error('No model is loaded: train one or load a saved model first.');
    return current.classifier.leaveOneOut(text);
  },
  async exportModel(as) {
    if (!current) throw new Error('No model is loaded.');
    const { bundle } = current;
    const files: NamedBytes[] =
      as === 'zip'
        ? [{ name: `${slug(bundle.metadata.name)}.zip`, bytes: bundleToZip(bundle) }]
        : bundleToFiles(bundle).map((f) => ({ name: f.name, bytes: f.bytes.slice() }));
    return transfer(
      files,
      files.map((f) => f.bytes.buffer),
    );
  },
};
serve(api);
