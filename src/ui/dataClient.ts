import type {
  DataWorkerRequest,
  DataWorkerResponse,
  DatasetRequestOptions,
  PhaseProgress,
  PreparedDataset,
} from '../worker/protocol';

export interface LoadCallbacks {
  onProgress: (progress: PhaseProgress) => void;
}

/**
 * The page's side of the data worker: one worker for the page's lifetime, promises for requests.
 * Answers to a superseded request are dropped, so the newest load always wins.
 */
export class DataClient {
  private readonly worker: Worker;
  private nextRequestId = 1;
  private pending: {
    requestId: number;
    resolve: (dataset: PreparedDataset) => void;
    reject: (error: Error) => void;
    callbacks: LoadCallbacks;
  } | null = null;

  constructor() {
    this.worker = new Worker(new URL('../worker/dataWorker.ts', import.meta.url), { type: 'module', name: 'data' });
    this.worker.onmessage = (event: MessageEvent<DataWorkerResponse>) => this.receive(event.data);
    this.worker.onerror = (event) => {
      this.pending?.reject(new Error(`The data worker failed: ${event.message || 'unknown error'}`));
      this.pending = null;
    };
  }

  load(options: DatasetRequestOptions, callbacks: LoadCallbacks): Promise<PreparedDataset> {
    const requestId = this.nextRequestId++;
    this.pending?.reject(new Error('Superseded by a newer load'));
    return new Promise((resolve, reject) => {
      this.pending = { requestId, resolve, reject, callbacks };
      const request: DataWorkerRequest = { type: 'load', requestId, options };
      this.worker.postMessage(request);
    });
  }

  private receive(message: DataWorkerResponse): void {
    const pending = this.pending;
    if (!pending || pending.requestId !== message.requestId) return;
    if (message.type === 'progress') {
      pending.callbacks.onProgress(message.progress);
    } else if (message.type === 'loaded') {
      this.pending = null;
      pending.resolve(message.dataset);
    } else {
      this.pending = null;
      pending.reject(new Error(message.message));
    }
  }

  dispose(): void {
    this.worker.terminate();
  }
}
