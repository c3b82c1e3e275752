/**
 * The checkpoint database, on fake-indexeddb (an IndexedDB written to the spec, for Node): what the
 * page lists, and the bound on stopped runs' checkpoints.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { CheckpointStore, type StoredCheckpoint } from '../../src/storage/checkpointStore';
import { DEFAULT_SETTINGS } from '../../src/training/settings';
import type { EpochPosition } from '../../src/training/trainer';

function stored(key: string, minute: number, position?: EpochPosition): StoredCheckpoint {
  return {
    key,
    settings: DEFAULT_SETTINGS,
    datasetKey: 'sha/options',
    engine: 'wasm',
    savedAt: new Date(Date.UTC(2026, 11, 2, 1, minute)).toISOString(),
    batches: [],
    checkpoint: {
      epoch: 1,
      ...(position ? { position } : {}),
      history: [{ epoch: 1, loss: 0.5, accuracy: 0.7, valLoss: 0.45, valAccuracy: 0.75, seconds: 60 }],
      examplesSeen: 22_500,
      trainingSeconds: 60,
      state: { weights: [Float32Array.of(minute)], optimizer: { engine: 'tfjs', iterations: 176, slots: [] } },
      fallback: { epoch: 1, valLoss: 0.45, weights: [Float32Array.of(minute)], epochsWithoutImprovement: 0 },
    },
  };
}

const at = (batch: number): EpochPosition => ({
  batch,
  batchesPerEpoch: 176,
  lossSum: 1,
  correctSum: 1,
  seen: batch * 128,
  seconds: 10,
});

describe('the checkpoint store', () => {
  it('lists each run with where it was checkpointed, newest first, and keeps the 3 newest stopped runs', async () => {
    const store = await CheckpointStore.open();
    await store.write(stored('live', 0));
    for (let minute = 1; minute <= 5; minute++) await store.write(stored(`stopped-${minute}`, minute, at(minute * 10)));

    const listed = await store.list();
    expect(listed.map((c) => c.key)).toEqual(['stopped-5', 'stopped-4', 'stopped-3', 'stopped-2', 'stopped-1', 'live']);
    expect(listed[0]!.place).toEqual({ epoch: 1, batch: 50, batchesPerEpoch: 176 });
    expect(listed.at(-1)!.place).toEqual({ epoch: 1, batch: null, batchesPerEpoch: null });

    expect((await store.pruneStopped(3)).sort()).toEqual(['stopped-1', 'stopped-2']);
    expect((await store.list()).map((c) => c.key)).toEqual(['stopped-5', 'stopped-4', 'stopped-3', 'live']);
    // What stays is whole: the weights read back as written.
    expect((await store.read('stopped-3'))!.checkpoint.state.weights[0]).toEqual(Float32Array.of(3));
    expect(await store.pruneStopped(3)).toEqual([]);
    store.close();
  });
});
