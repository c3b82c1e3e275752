/**
 * The inference worker's methods (served with workers/rpc.ts). The worker holds the current model
 * bundle: it validates bundles (from training, files or IndexedDB), classifies text and packs
 * downloads. A call that fails leaves the current model (if any) unchanged.
 */
import type { AnyBundle } from '../../baseline/bundle';
import type { NamedBytes } from '../../bundle/files';
import type { Architecture } from '../../bundle/topology';
import type { ForwardPassInfo } from '../../inference/forwardPass';
import type { Classification, LeaveOneOut } from '../../inference/reviewClassifier';
import type { ModelTestReport, ReportProgress, ReportRequest } from '../../report/modelTestReport';

export interface ModelReady {
  /** The LSTM's shapes; null for the baseline (a linear model has none to show). */
  architecture: Architecture | null;
  /** The WebAssembly kernels, the plain TypeScript pass and why, or the baseline's linear model. */
  forwardPass: ForwardPassInfo;
  /** Validation, tokenizer parsing and classifier set-up, in the worker. */
  milliseconds: number;
}

export interface InferenceWorkerApi {
  /** Validates and adopts a bundle (LSTM or baseline); the worker keeps its previous model if this one is rejected. */
  setBundle(bundle: AnyBundle): Promise<ModelReady>;
  /** Reads a zip or separate files (transferred); answers with the adopted bundle for the page to save. */
  loadFiles(files: NamedBytes[]): Promise<{ ready: ModelReady; bundle: AnyBundle }>;
  /** P(positive), with the model's reading word by word. */
  classify(text: string): Promise<Classification>;
  /** For each word read, P(positive) without it (one forward pass per word; reviews up to maxlen words). */
  leaveOneOut(text: string): Promise<LeaveOneOut>;
  /**
   * The current model's test report over the given reviews' texts (report/modelTestReport.ts),
   * read as the model reads them; `onProgress` hears how many reviews are read. One synchronous
   * job: the page runs it in an inference worker of its own and cancels it by ending that worker.
   */
  testReport(request: ReportRequest, onProgress: (progress: ReportProgress) => void): Promise<ModelTestReport>;
  /** The current model as one zip or as separate files, transferred to the page. */
  exportModel(as: 'zip' | 'files'): Promise<NamedBytes[]>;
}
