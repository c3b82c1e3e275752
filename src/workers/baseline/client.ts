import { packedBuffers } from '../../data/packedTexts';
import { callback, connect, transfer, type Connection } from '../rpc';
import type { BaselineData, BaselineEvent, BaselineWorkerApi, SplitSettings, TrainedBaseline } from './api';

/**
 * The page's side of the baseline worker, one run at a time. Training is one synchronous job in
 * the worker (it never waits, so it could not hear a cancel message until done): cancelling, or
 * starting a run while one goes, ends the worker and starts a fresh one. The worker keeps nothing
 * between runs, so nothing is lost; the cancelled run's promise rejects with `Cancelled`.
 */
export class BaselineClient {
  private connection: Connection<BaselineWorkerApi> | null = null;
  private running = false;

  private connect(): Connection<BaselineWorkerApi> {
    if (this.connection && !this.running) return this.connection;
    this.connection?.dispose();
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'baseline' });
    this.connection = connect<BaselineWorkerApi>(worker, 'baseline');
    return this.connection;
  }

  /** Trains on the texts (moved to the worker, not copied); `onEvent` hears its progress, in order. */
  async train(
    data: BaselineData,
    split: SplitSettings,
    onEvent: (event: BaselineEvent) => void,
  ): Promise<TrainedBaseline> {
    const connection = this.connect();
    const moved = transfer(data, [...packedBuffers(data.train), ...packedBuffers(data.test)]);
    this.running = true;
    try {
      return await connection.call((api) => api.train(moved, split, callback(onEvent)));
    } finally {
      if (this.connection === connection) this.running = false;
    }
  }

  /** Ends the run in progress, if any (its promise rejects with `Cancelled`). */
  cancel(): void {
    if (!this.running) return;
    this.connection?.dispose();
    this.connection = null;
    this.running = false;
  }

  dispose(): void {
    this.connection?.dispose();
    this.connection = null;
  }
}
