import type { NamedBytes } from '../../bundle/files';
import type { AnyBundle } from '../../baseline/bundle';
import type { Classification, LeaveOneOut } from '../../inference/reviewClassifier';
import { packedBuffers } from '../../data/packedTexts';
import type { ModelTestReport, ReportProgress, ReportRequest } from '../../report/modelTestReport';
import { callback, connect, transfer, type Connection } from '../rpc';
import type { InferenceWorkerApi, ModelReady } from './api';

/** The page's side of the inference worker. */
export class InferenceClient {
  private readonly connection: Connection<InferenceWorkerApi>;

  constructor() {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'inference' });
    this.connection = connect<InferenceWorkerApi>(worker, 'inference');
  }

  /** Validates and adopts a bundle; the worker keeps its previous model if this one is rejected. */
  setBundle(bundle: AnyBundle): Promise<ModelReady> {
    return this.connection.call((api) => api.setBundle(bundle));
  }

  /** Reads a zip or separate files in the worker (their bytes move there); resolves to the adopted bundle. */
  loadFiles(files: NamedBytes[]): Promise<{ ready: ModelReady; bundle: AnyBundle }> {
    const moved = transfer(
      files,
      files.map((f) => f.bytes.buffer),
    );
    return this.connection.call((api) => api.loadFiles(moved));
  }

  classify(text: string): Promise<Classification> {
    return this.connection.call((api) => api.classify(text));
  }

  leaveOneOut(text: string): Promise<LeaveOneOut> {
    return this.connection.call((api) => api.leaveOneOut(text));
  }

  /** The current model's test report over `request`'s reviews (their texts move to the worker). */
  testReport(request: ReportRequest, onProgress: (progress: ReportProgress) => void): Promise<ModelTestReport> {
    const buffers = [
      ...packedBuffers(request.test),
      ...('train' in request.validation ? packedBuffers(request.validation.train) : []),
    ];
    const moved = transfer(request, buffers);
    return this.connection.call((api) => api.testReport(moved, callback(onProgress)));
  }

  export(as: 'zip' | 'files'): Promise<NamedBytes[]> {
    return this.connection.call((api) => api.exportModel(as));
  }

  dispose(): void {
    this.connection.dispose();
  }
}
