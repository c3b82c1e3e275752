/**
 * The inference worker's methods (served with workers/rpc.ts). The worker holds the current model
 * bundle: it validates bundles (from training, files or IndexedDB), classifies text and packs
 * downloads. A call that fails leaves the current model (if any) unchanged.
 */
import type { NamedBytes } from '../../bundle/files';
import type { Architecture } from '../../bundle/topology';
import type { ModelBundle } from '../../bundle/types';
import type { ForwardPassInfo } from '../../inference/forwardPass';
import type { Classification, LeaveOneOut } from '../../inference/reviewClassifier';

export interface ModelReady {
  architecture: Architecture;
  /** The WebAssembly kernels, or the plain TypeScript pass and why. */
  forwardPass: ForwardPassInfo;
  /** Validation, tokenizer parsing and classifier set-up, in the worker. */
  milliseconds: number;
}

export interface InferenceWorkerApi {
  /** Validates and adopts a bundle; the worker keeps its previous model if this one is rejected. */
  setBundle(bundle: ModelBundle): Promise<ModelReady>;
  /** Reads a zip or separate files (transferred); answers with the adopted bundle for the page to save. */
  loadFiles(files: NamedBytes[]): Promise<{ ready: ModelReady; bundle: ModelBundle }>;
  /** P(positive), with the model's reading word by word. */
  classify(text: string): Promise<Classification>;
  /** For each word read, P(positive) without it (one forward pass per word; reviews up to maxlen words). */
  leaveOneOut(text: string): Promise<LeaveOneOut>;
  /** The current model as one zip or as separate files, transferred to the page. */
  exportModel(as: 'zip' | 'files'): Promise<NamedBytes[]>;
}
