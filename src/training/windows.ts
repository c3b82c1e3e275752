/**
 * Random windows: each epoch, a seeded share of the training reviews is read as a random run of
 * consecutive words instead of whole (`share`), and another share can be read as a window besides
 * being read whole (`extra`: added rows, so the whole reviews lose nothing; with bucketed batches
 * the short added rows cost a fraction of a whole one). People type a sentence or two into the
 * Classify box, while IMDB reviews run to hundreds of words; with windows, short texts are in the
 * training distribution. Window lengths are log-uniform between MIN_WINDOW words and the review's
 * length, so short windows are as common as long ones, and the start is uniform, except for a share of
 * windows (`endShare`) that end where the review ends: a review's closing words usually carry its
 * verdict, as a short review does, while a window from the middle may be plot summary labelled
 * with the review's sentiment. Validation and test reviews are always read whole.
 *
 * Rows are pre-padded (the app's only padding): a row's words are its last `length` ids, and a
 * window keeps that layout (its words at the end, zeros before).
 */
import type { PaddedMatrix } from '../data/dataset';
import { seededRandom, shuffleInPlace } from '../data/random';

/** The shortest window: fewer words rarely carry a sentiment at all. */
export const MIN_WINDOW = 4;

/**
 * One epoch's windows, indexed by row of the padded matrix (`count` rows): `widths[r]` = 0 reads
 * row r whole. With added windows the arrays are twice as long: index `count + r` is row r's added
 * window, and `added` lists those indices.
 */
export interface EpochWindows {
  starts: Int32Array;
  widths: Int32Array;
  added: Int32Array;
}

/** The row of the padded matrix an epoch index reads (an added window's index is past the rows). */
export const rowOf = (index: number, count: number): number => (index >= count ? index - count : index);

/** How many added windows an epoch has: a share of the rows that can be windowed, the same every epoch. */
export function addedWindowCount(rows: ArrayLike<number>, lengths: ArrayLike<number>, extra: number): number {
  if (extra <= 0) return 0;
  let eligible = 0;
  for (let i = 0; i < rows.length; i++) if (lengths[rows[i]!]! > MIN_WINDOW) eligible++;
  return Math.round(Math.min(1, extra) * eligible);
}

/** How an epoch's windows are drawn (the settings of the same names, training/settings.ts). */
export interface WindowShape {
  /** Share of the rows read as a window instead of whole. */
  share: number;
  /** Share of the windows that end where the review ends. */
  endShare?: number;
  /** Share of the rows also read as an added window, besides whole. */
  extra?: number;
  /** The longest window in words (0 = the review's length): short windows where people's texts are short. */
  maxWidth?: number;
}

/**
 * A window of a review of `length` words from three uniform draws: its length log-uniform from
 * MIN_WINDOW to `length` (or to `maxWidth`, when the review is longer), its start uniform or at the end.
 */
function drawWindow(
  length: number,
  maxWidth: number,
  logWidth: number,
  startAt: number,
  atEnd: boolean,
): [start: number, width: number] {
  const longest = maxWidth > 0 ? Math.max(MIN_WINDOW, Math.min(length, maxWidth)) : length;
  const width = Math.min(length, Math.floor(MIN_WINDOW * Math.pow(longest / MIN_WINDOW, logWidth)));
  return [atEnd ? length - width : Math.floor(startAt * (length - width + 1)), width];
}

/**
 * Picks the windows of one epoch: each of `rows` (the training split) is windowed with probability
 * `share`, if it has more than MIN_WINDOW words, and addedWindowCount() of them (a seeded choice)
 * get an added window. Seeded by (seed, epoch), so a run is reproducible; the draws do not depend
 * on `maxWidth`, so a cap only shortens the windows an uncapped run would have drawn.
 */
export function epochWindows(
  rows: ArrayLike<number>,
  lengths: ArrayLike<number>,
  windowShape: WindowShape,
  seed: number,
  epoch: number,
): EpochWindows {
  const { share, endShare = 0, extra = 0, maxWidth = 0 } = windowShape;
  const count = lengths.length;
  const added = addedWindowCount(rows, lengths, extra);
  const starts = new Int32Array(added > 0 ? 2 * count : count);
  const widths = new Int32Array(starts.length);
  const addedRows = new Int32Array(added);
  if (share <= 0 && added === 0) return { starts, widths, added: addedRows };
  if (share > 0) {
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
      [starts[row], widths[row]] = drawWindow(length, maxWidth, logWidth, startAt, atEnd);
    }
  }
  if (added > 0) {
    const random = seededRandom((seed * 4391 + epoch * 86743 + 41) >>> 0);
    const eligible = Array.from(rows).filter((row) => lengths[row]! > MIN_WINDOW);
    shuffleInPlace(eligible, random);
    eligible.slice(0, added).forEach((row, i) => {
      const index = count + row;
      addedRows[i] = index;
      [starts[index], widths[index]] = drawWindow(lengths[row]!, maxWidth, random(), random(), random() < endShare);
    });
  }
  return { starts, widths, added: addedRows };
}

/** Each epoch index's length in words once windowed (for length-bucketed batches). */
export function windowedLengths(lengths: ArrayLike<number>, windows: EpochWindows): Int32Array {
  return Int32Array.from(windows.widths, (width, index) => width || lengths[index]! || 0);
}

/**
 * Rewrites the rows of a gathered batch that are windowed: `ids` holds `indices.length` rows of
 * `examples` (in that order; an added window's index names its row, rowOf) as copied from the
 * padded matrix.
 */
export function applyWindows(
  ids: Int32Array,
  indices: ArrayLike<number>,
  examples: PaddedMatrix,
  lengths: ArrayLike<number>,
  windows: EpochWindows,
): void {
  const { maxlen, count } = examples;
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i]!;
    const width = windows.widths[index]!;
    if (width === 0) continue;
    const row = rowOf(index, count);
    // The review's words start at maxlen - length within its row; the window starts `starts` words in.
    const from = row * maxlen + maxlen - lengths[row]! + windows.starts[index]!;
    const out = ids.subarray(i * maxlen, (i + 1) * maxlen);
    out.fill(0);
    out.set(examples.ids.subarray(from, from + width), maxlen - width);
  }
}
