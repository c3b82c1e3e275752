/**
 * A saved run's per-epoch history, as metadata.json (LSTM) and baseline.json (baseline) keep it:
 * what the Models panel's comparison overlays. Bundles written before it was kept have none
 * (read as null, which the comparison says), so its absence is never an error.
 */
import { BundleError } from './bundleError';
import { integerField, isObject, numberOrNull } from './json';

export interface EpochRecord {
  /** 1-based. */
  epoch: number;
  /** Training loss and accuracy over the epoch (the baseline reports no training accuracy: null). */
  loss: number | null;
  accuracy: number | null;
  /** On the validation split; null without one. */
  valLoss: number | null;
  valAccuracy: number | null;
  seconds: number | null;
}

/** JSON has no NaN or Infinity (a diverged epoch's loss): they are written as null, and IndexedDB must agree. */
export const finiteOrNull = (value: number | null | undefined): number | null =>
  value === null || value === undefined || !Number.isFinite(value) ? null : value;

/** One epoch as a bundle writes it, from any of the app's epoch shapes. */
export function epochRecord(point: {
  epoch: number;
  loss?: number | null;
  accuracy?: number | null;
  valLoss?: number | null;
  valAccuracy?: number | null;
  seconds?: number | null;
}): EpochRecord {
  return {
    epoch: point.epoch,
    loss: finiteOrNull(point.loss),
    accuracy: finiteOrNull(point.accuracy),
    valLoss: finiteOrNull(point.valLoss),
    valAccuracy: finiteOrNull(point.valAccuracy),
    seconds: finiteOrNull(point.seconds),
  };
}

/** Reads `history` from a parsed file; null when it is absent (an older bundle). `where` names the field. */
export function readHistory(value: unknown, where: string): EpochRecord[] | null {
  if (value === null || value === undefined) return null;
  if (!Array.isArray(value)) throw new BundleError(`${where} must be a list of epochs or null.`);
  return value.map((item: unknown, i) => {
    const at = `${where}[${i}]`;
    if (!isObject(item)) throw new BundleError(`${at} must be an object.`);
    const epoch = integerField(item, 'epoch', at, 1);
    if (epoch !== i + 1)
      throw new BundleError(`${at}: "epoch" must be ${i + 1} (epochs in order from 1), got ${epoch}.`);
    const share = (key: string) => {
      const v = numberOrNull(item, key, at);
      if (v !== null && (v < 0 || v > 1)) throw new BundleError(`${at}: "${key}" must be between 0 and 1.`);
      return v;
    };
    return {
      epoch,
      loss: numberOrNull(item, 'loss', at),
      accuracy: share('accuracy'),
      valLoss: numberOrNull(item, 'valLoss', at),
      valAccuracy: share('valAccuracy'),
      seconds: numberOrNull(item, 'seconds', at),
    };
  });
}
