/**
 * Random windows: each epoch, a seeded share of the training reviews is read as a random run of
 * consecutive words instead of whole. People type a sentence or two into the Classify box, while
 * IMDB reviews run to hundreds of words; with windows, short texts are in the training
 * distribution. Window lengths are log-uniform between MIN_WINDOW words and the review's length,
 * so short windows are as common as long ones, and the start is uniform, except for a share of
 * windows (`endShare`) that end where the review ends: a review's closing words usually carry its
 * verdict, as a short review does, while a window from the middle may be plot summary labelled
 * with the review's sentiment. Validation and test reviews are always read whole.
 *
 * Rows are pre-padded (the app's only padding): a row's words are its last `length` ids, and a
 * window keeps that layout (its words at the end, zeros before).
 */
import type { PaddedMatrix } from '../data/dataset';
import { seededRandom } from '../data/random';

/** The shortest window: fewer words rarely carry a sentiment at all. */
export const MIN_WINDOW = 4;

/** One epoch's plan, indexed by row of the padded matrix: `widths[r]` = 0 reads row r whole. */
export interface EpochWindows {
  starts: Int32Array;
  widths: Int32Array;
}

/**
 * Picks the windows of one epoch: each of `rows` (the training split) is windowed with probability
 * `share`, if it has more than MIN_WINDOW words. Seeded by (seed, epoch), so a run is reproducible.
 */
export function epochWindows(
  rows: ArrayLike<number>,
  lengths: ArrayLike<number>,
  share: number,
  seed: number,
  epoch: number,
  endShare = 0,
): EpochWindows {
  const starts = new Int32Array(lengths.length);
  const widths = new Int32Array(lengths.length);
  if (share <= 0) return { starts, widths };
  const random = seededRandom((seed * 7919 + epoch * 104729 + 17) >>> 0);
  // A stream of its own, so that runs without end windows draw the windows they always did.
  const endRandom = seededRandom((seed * 6151 + epoch * 92821 + 29) >>> 0);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const length = lengths[row]!;
    // Drawn for every row, so which rows are windowed does not depend on the lengths.
    const pick = random();
    const logWidth = random();
    const startAt = random();
    const atEnd = endRandom() < endShare;
    if (pick >= share || length <= MIN_WINDOW) continue;
    const width = Math.min(length, Math.floor(MIN_WINDOW * Math.pow(length / MIN_WINDOW, logWidth)));
    widths[row] = width;
    starts[row] = atEnd ? length - width : Math.floor(startAt * (length - width + 1));
  }
  return { starts, widths };
}

/** Each row's length in words once windowed (for length-bucketed batches). */
export function windowedLengths(lengths: ArrayLike<number>, windows: EpochWindows): Int32Array {
  return Int32Array.from(lengths, (length, row) => windows.widths[row]! || length);
}

/**
 * Rewrites the rows of a gathered batch that are windowed: `ids` holds `rows.length` rows of
 * `examples` (in that order) as copied from the padded matrix.
 */
export function applyWindows(
  ids: Int32Array,
  rows: ArrayLike<number>,
  examples: PaddedMatrix,
  lengths: ArrayLike<number>,
  windows: EpochWindows,
): void {
  const { maxlen } = examples;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const width = windows.widths[row]!;
    if (width === 0) continue;
    // The review's words start at maxlen - length within its row; the window starts `starts` words in.
    const from = row * maxlen + maxlen - lengths[row]! + windows.starts[row]!;
    const out = ids.subarray(i * maxlen, (i + 1) * maxlen);
    out.fill(0);
    out.set(examples.ids.subarray(from, from + width), maxlen - width);
  }
}
