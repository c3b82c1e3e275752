import type { BackendName } from '../../worker/backend';
import type { TrainRequest, TrainResponse, TrainingData } from '../../worker/trainProtocol';
import type { TrainingSettings } from '../../training/settings';

/** The page's side of the training worker. */
export class TrainClient {
  private readonly worker: Worker;
  private listeners = new Set<(message: TrainResponse) => void>();
  /** Key of the dataset the worker holds (its arrays were transferred, so the page no longer has them). */
  dataKey: string | null = null;

  constructor(backend: BackendName | null) {
    this.worker = new Worker(new URL('../../worker/trainWorker.ts', import.meta.url), {
      type: 'module',
      name: 'train',
    });
    this.worker.onmessage = (event: MessageEvent<TrainResponse>) => {
      for (const listener of this.listeners) listener(event.data);
    };
    this.worker.onerror = (event) => {
      const message: TrainResponse = {
        type: 'error',
        runId: null,
        message: `The training worker failed: ${event.message || 'unknown error'}`,
      };
      for (const listener of this.listeners) listener(message);
    };
    this.send({ type: 'init', backend });
  }

  subscribe(listener: (message: TrainResponse) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Hands the padded matrices to the worker without copying them. */
  setData(data: TrainingData): void {
    this.dataKey = data.key;
    this.send({ type: 'set-data', data }, [
      data.train.ids.buffer,
      data.train.labels.buffer,
      data.test.ids.buffer,
      data.test.labels.buffer,
      data.test.reviewIds.buffer,
    ]);
  }

  train(runId: number, settings: TrainingSettings): void {
    this.send({ type: 'train', runId, settings });
  }

  stop(runId: number): void {
    this.send({ type: 'stop', runId });
  }

  dispose(): void {
    this.worker.terminate();
  }

  private send(message: TrainRequest, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer);
  }
}
