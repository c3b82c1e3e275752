import type { BackendInfo, BackendName } from '../../model/backend';
import type { TrainingData } from './api';
import type { TrainingSettings } from '../../training/settings';
import { callback, connect, transfer, type Connection } from '../rpc';
import type { Checkpointing, RunEvent, TrainedRun, TrainWorkerApi } from './api';
import { shortVersionBuffers } from '../../data/shortVersionSequences';

/** The page's side of the training worker: one worker (and one tfjs backend) for the page's lifetime. */
export class TrainClient {
  private readonly connection: Connection<TrainWorkerApi>;
  /** The backend the worker set up; rejects when none could start. */
  readonly ready: Promise<BackendInfo>;
  /** Key of the dataset the worker holds (its arrays were transferred, so the page no longer has them). */
  dataKey: string | null = null;

  /** `onBackendLost` hears of a backend lost after it started (a lost WebGL context). */
  constructor(backend: BackendName | null, onBackendLost: (message: string) => void) {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'train' });
    this.connection = connect<TrainWorkerApi>(worker, 'training');
    this.ready = this.connection.call((api) => api.init(backend, callback(onBackendLost)));
  }

  /** Hands the padded matrices to the worker without copying them. */
  setData(data: TrainingData): Promise<void> {
    this.dataKey = data.key;
    const moved = transfer(data, [
      data.train.ids.buffer,
      data.train.labels.buffer,
      data.test.ids.buffer,
      data.test.labels.buffer,
      data.test.reviewIds.buffer,
      ...shortVersionBuffers(data.testShortVersions),
    ]);
    return this.connection.call((api) => api.setData(moved));
  }

  /** Trains one run; `onEvent` hears its progress, in order, before the answer. */
  train(
    runId: number,
    settings: TrainingSettings,
    onEvent: (event: RunEvent) => void,
    checkpointing: Checkpointing | null,
  ): Promise<TrainedRun> {
    return this.connection.call((api) => api.train(runId, settings, callback(onEvent), checkpointing));
  }

  stop(runId: number): Promise<void> {
    return this.connection.call((api) => api.stop(runId));
  }

  loseContextForTest(): Promise<boolean> {
    return this.connection.call((api) => api.loseContextForTest());
  }

  fillStorageForTest(): Promise<void> {
    return this.connection.call((api) => api.fillStorageForTest());
  }

  dispose(): void {
    this.connection.dispose();
  }
}
