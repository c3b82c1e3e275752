/**
 * What one epoch trains on, in which order: the training rows shuffled (seeded by the epoch), their
 * windows and added windows (windows.ts), length-bucketed when asked (bucketing.ts). Everything
 * depends only on the seed and the epoch's number, so a resumed epoch is the one it replaces. The
 * trainer and `npm run bench:buckets` both plan epochs here.
 */
import type { PaddedMatrix } from '../data/dataset';
import { bucketedOrder } from './bucketing';
import { gatherBatch } from './examples';
import type { TrainingSettings } from './settings';
import { epochOrder } from './validationSplit';
import { addedWindowCount, applyWindows, epochWindows, rowOf, windowedLengths, type EpochWindows } from './windows';

export type PlanSettings = Pick<TrainingSettings, 'seed' | 'batchSize'> &
  Partial<Pick<TrainingSettings, 'batchOrder' | 'windowShare' | 'windowEndShare' | 'windowExtra' | 'windowMaxWords'>>;

export interface EpochPlan {
  /** The epoch's indices in batch order: rows of the padded matrix, and added windows past them (windows.rowOf). */
  order: Int32Array;
  windows: EpochWindows | null;
}

const usesWindows = (settings: PlanSettings) => (settings.windowShare ?? 0) > 0 || (settings.windowExtra ?? 0) > 0;

/** Whether planning needs each row's length in words (bucketing or windows). */
export const needsLengths = (settings: PlanSettings): boolean =>
  settings.batchOrder === 'bucketed' || usesWindows(settings);

/** Examples per epoch: the training rows and the added windows (the same every epoch). */
export function examplesPerEpoch(train: Int32Array, lengths: Int32Array | null, settings: PlanSettings): number {
  return train.length + (lengths ? addedWindowCount(train, lengths, settings.windowExtra ?? 0) : 0);
}

export function epochPlan(
  train: Int32Array,
  lengths: Int32Array | null,
  settings: PlanSettings,
  epoch: number,
): EpochPlan {
  const { seed, batchSize } = settings;
  const windows =
    lengths && usesWindows(settings)
      ? epochWindows(
          train,
          lengths,
          {
            share: settings.windowShare ?? 0,
            endShare: settings.windowEndShare ?? 0,
            extra: settings.windowExtra ?? 0,
            maxWidth: settings.windowMaxWords ?? 0,
          },
          seed,
          epoch,
        )
      : null;
  const indices = windows && windows.added.length > 0 ? Int32Array.from([...train, ...windows.added]) : train;
  const shuffled = epochOrder(indices, seed, epoch);
  const order =
    lengths && settings.batchOrder === 'bucketed'
      ? bucketedOrder(shuffled, windows ? windowedLengths(lengths, windows) : lengths, batchSize, seed, epoch)
      : shuffled;
  return { order, windows };
}

/** The batch of plan positions [from, to): each row copied from the padded matrix, windows cut out. */
export function planBatch(
  examples: PaddedMatrix,
  lengths: Int32Array | null,
  plan: EpochPlan,
  from: number,
  to: number,
): { ids: Int32Array; labels: Float32Array; size: number } {
  const indices = plan.order.subarray(from, to);
  const rows = plan.windows?.added.length ? Int32Array.from(indices, (i) => rowOf(i, examples.count)) : indices;
  const data = gatherBatch(examples, rows, 0, rows.length);
  if (plan.windows) applyWindows(data.ids, indices, examples, lengths!, plan.windows);
  return data;
}
