/**
 * Where a checkpoint leaves a run, in words the page shows: after a finished epoch, or part-way
 * through the next one where a Stop ended it.
 */
import type { TrainCheckpoint } from './trainer';

export interface CheckpointPlace {
  /** Finished epochs. */
  epoch: number;
  /** Batches of epoch `epoch + 1` trained before a Stop; null at an epoch's end. */
  batch: number | null;
  batchesPerEpoch: number | null;
}

export function placeOf(checkpoint: Pick<TrainCheckpoint, 'epoch' | 'position'>): CheckpointPlace {
  return {
    epoch: checkpoint.epoch,
    batch: checkpoint.position?.batch ?? null,
    batchesPerEpoch: checkpoint.position?.batchesPerEpoch ?? null,
  };
}

/** "after epoch 2", or "after batch 13 of 176 of epoch 3" (a Stop's), or "before epoch 3's validation". */
export function describePlace(place: CheckpointPlace): string {
  if (place.batch === null) return `after epoch ${place.epoch}`;
  const next = place.epoch + 1;
  if (place.batch === 0) return `at the start of epoch ${next}`;
  if (place.batch === place.batchesPerEpoch) return `after epoch ${next}'s last batch, before its validation`;
  return `after batch ${place.batch} of ${place.batchesPerEpoch ?? '?'} of epoch ${next}`;
}

/** Batches trained before the place: what a resume does not train again. */
export function batchesBefore(place: CheckpointPlace, batchesPerEpoch: number): number {
  return place.epoch * batchesPerEpoch + (place.batch ?? 0);
}
