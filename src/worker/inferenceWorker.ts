/// <reference lib="webworker" />
import { bundleFromFiles, bundleToFiles, bundleToZip } from '../bundle/files';
import type { ModelBundle } from '../bundle/types';
import { validateBundle } from '../bundle/validate';
import { ReviewClassifier } from '../inference/reviewClassifier';
import type { InferenceRequest, InferenceResponse } from './inferenceProtocol';

declare const self: DedicatedWorkerGlobalScope;

/** The model in use. Replaced only by a bundle that passed every check. */
let current: { bundle: ModelBundle; classifier: ReviewClassifier } | null = null;

function post(message: InferenceResponse, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

function adopt(bundle: ModelBundle, requestId: number, sendBack: boolean): void {
  const started = performance.now();
  const validated = validateBundle(bundle);
  const classifier = new ReviewClassifier(validated);
  current = { bundle: validated.bundle, classifier };
  post({
    type: 'model-ready',
    requestId,
    ready: { architecture: validated.architecture, milliseconds: performance.now() - started },
    bundle: sendBack ? validated.bundle : null,
  });
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'model'
  );
}

function handle(message: InferenceRequest): void {
  switch (message.type) {
    case 'set-bundle':
      adopt(message.bundle, message.requestId, false);
      break;
    case 'load-files':
      adopt(bundleFromFiles(message.files), message.requestId, true);
      break;
    case 'classify': {
      if (!current) throw new Error('No model is loaded: train one or load a saved model first.');
      post({ type: 'classified', requestId: message.requestId, result: current.classifier.classify(message.text) });
      break;
    }
    case 'export': {
      if (!current) throw new Error('No model is loaded.');
      const { bundle } = current;
      const files =
        message.as === 'zip'
          ? [{ name: `${slug(bundle.metadata.name)}.zip`, bytes: bundleToZip(bundle) }]
          : bundleToFiles(bundle).map((f) => ({ name: f.name, bytes: f.bytes.slice() }));
      post(
        { type: 'exported', requestId: message.requestId, files },
        files.map((f) => f.bytes.buffer),
      );
      break;
    }
  }
}

self.onmessage = (event: MessageEvent<InferenceRequest>) => {
  const message = event.data;
  try {
    handle(message);
  } catch (error) {
    post({
      type: 'failed',
      requestId: message.requestId,
      message: error instanceof Error ? error.message : String(error),
    });
  }
};
