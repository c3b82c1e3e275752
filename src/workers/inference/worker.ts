/// <reference lib="webworker" />
import { isBaselineBundle, validateBaseline, type AnyBundle } from '../../baseline/bundle';
import { baselineToFiles, baselineToZip, modelFromFiles } from '../../baseline/bundleFiles';
import { bundleToFiles, bundleToZip, type NamedBytes } from '../../bundle/files';
import { validateBundle } from '../../bundle/validate';
import { BaselineClassifier } from '../../inference/baselineClassifier';
import { ReviewClassifier, type Kernels, type TextClassifier } from '../../inference/reviewClassifier';
import { compileKernels } from '../../model/wasm/compileKernels';
import { modelTestReport, type ReportProgress } from '../../report/modelTestReport';
import { release, serve, transfer } from '../rpc';
import type { InferenceWorkerApi, ModelReady } from './api';

/** The model in use. Replaced only by a bundle that passed every check. */
let current: { bundle: AnyBundle; classifier: TextClassifier } | null = null;

/** The WebAssembly kernels' plain build, compiled once per worker; or why this browser has none. */
let kernels: Promise<Kernels> | null = null;
function loadKernels(): Promise<Kernels> {
  kernels ??= compileKernels(false).then(
    (module) => ({ module }),
    (error: unknown) => ({
      missing: `the WebAssembly kernels did not load (${error instanceof Error ? error.message : String(error)})`,
    }),
  );
  return kernels;
}

/**
 * Fills the WebAssembly pass's projection table a slice at a time between requests (each slice
 * ~1 ms; a classify or load waits for one slice at most), until it is full or the model changes.
 */
function projectInIdleTime(classifier: TextClassifier): void {
  const slice = () => {
    if (current?.classifier !== classifier) return;
    if (!classifier.projectAhead()) setTimeout(slice, 0);
  };
  setTimeout(slice, 0);
}

async function adopt(bundle: AnyBundle): Promise<{ ready: ModelReady; bundle: AnyBundle }> {
  if (isBaselineBundle(bundle)) {
    const started = performance.now();
    const validated = validateBaseline(bundle);
    const classifier = new BaselineClassifier(validated.model);
    current = { bundle: validated.bundle, classifier };
    const milliseconds = performance.now() - started;
    return {
      ready: { architecture: null, forwardPass: classifier.forwardPass, milliseconds },
      bundle: validated.bundle,
    };
  }
  const available = await loadKernels();
  const started = performance.now();
  const validated = validateBundle(bundle);
  const classifier = new ReviewClassifier(validated, available);
  current = { bundle: validated.bundle, classifier };
  projectInIdleTime(classifier);
  return {
    ready: {
      architecture: validated.architecture,
      forwardPass: classifier.forwardPass,
      milliseconds: performance.now() - started,
    },
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
    return (await adopt(bundle)).ready;
  },
  async loadFiles(files) {
    return adopt(modelFromFiles(files));
  },
  async classify(text) {
    if (!current) throw new Error('No model is loaded: train one or load a saved model first.');
    return current.classifier.classify(text);
  },
  async leaveOneOut(text) {
    if (!current) throw new Error('No model is loaded: train one or load a saved model first.');
    return current.classifier.leaveOneOut(text);
  },
  async testReport(request, onProgress) {
    try {
      const model = current;
      if (!model) throw new Error('No model is loaded: train one or load a saved model first.');
      // Progress travels on the callback's own port; awaiting the last one keeps it ahead of the answer.
      let last: unknown = undefined;
      const report = modelTestReport(
        (text) => model.classifier.probability(text),
        request,
        (progress: ReportProgress) => {
          last = onProgress(progress);
        },
      );
      await last;
      const { reviewIds, labels, probabilities } = report.predictions;
      return transfer(report, [reviewIds.buffer, labels.buffer, probabilities.buffer] as ArrayBuffer[]);
    } finally {
      release(onProgress);
    }
  },
  async exportModel(as) {
    if (!current) throw new Error('No model is loaded.');
    const { bundle } = current;
    const baseline = isBaselineBundle(bundle);
    const files: NamedBytes[] =
      as === 'zip'
        ? [
            {
              name: `${slug(bundle.metadata.name)}.zip`,
              bytes: baseline ? baselineToZip(bundle) : bundleToZip(bundle),
            },
          ]
        : (baseline ? baselineToFiles(bundle) : bundleToFiles(bundle)).map((f) => ({
            name: f.name,
            bytes: f.bytes.slice(),
          }));
    return transfer(
      files,
      files.map((f) => f.bytes.buffer),
    );
  },
};
serve(api);
