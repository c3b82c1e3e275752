import type { Review, Split } from './review';
import { writePaddedRow } from '../text/pad';
import { Tokenizer } from '../text/tokenizer';
import type { DatasetRequestOptions, EncodedSplit, PhaseProgress, SampleReview } from './dataset';
import { encodeShortVersions, type ShortVersionSequences } from './shortVersionSequences';

const PROGRESS_EVERY = 1000;
const SAMPLE_COUNT = 4;

export interface EncodeResult {
  train: EncodedSplit;
  test: EncodedSplit;
  /** The test reviews' short versions (last sentence, last 20 words), in the test split's order. */
  testShortVersions: ShortVersionSequences;
  tokenizer: Tokenizer;
  distinctWords: number;
  /** Share of training-review word occurrences that the numWords cut-off drops. */
  droppedTokenShare: number;
  samples: SampleReview[];
  /** Fit + encode of the training reviews, and encode of the test reviews. */
  timings: { trainMs: number; testMs: number };
}

type EncodeOptions = Pick<DatasetRequestOptions, 'numWords' | 'maxlen' | 'padding' | 'truncating' | 'oovToken'>;

/** Fits the tokenizer on the training reviews, then turns both splits into padded id matrices. */
export function encodeDataset(
  reviews: Record<Split, readonly Review[]>,
  options: EncodeOptions,
  onProgress: (progress: PhaseProgress) => void,
): EncodeResult {
  const tokenizer = new Tokenizer({ numWords: options.numWords, oovToken: options.oovToken });
  const total = reviews.train.length + reviews.test.length;
  let done = 0;
  const tick = () => {
    if (++done % PROGRESS_EVERY === 0 || done === total)
      onProgress({ phase: 'tokenize', done, total, unit: 'reviews' });
  };

  const trainStarted = performance.now();
  const trainSequences = tokenizer.fitOnTextsAndEncode(
    reviews.train.map((review) => review.text),
    tick,
  );
  const train = encodeSplit('train', reviews.train, (i) => trainSequences[i]!, options);
  const trainMs = performance.now() - trainStarted;

  const testStarted = performance.now();
  const test = encodeSplit(
    'test',
    reviews.test,
    (i) => {
      tick();
      return tokenizer.wordsToSequence(tokenizer.textToWords(reviews.test[i]!.text));
    },
    options,
  );
  const testShortVersions = encodeShortVersions(
    reviews.test.map((review) => review.text),
    (text) => tokenizer.wordsToSequence(tokenizer.textToWords(text)),
  );
  const testMs = performance.now() - testStarted;
  onProgress({ phase: 'pad', done: total, total, unit: 'reviews' });

  const coverage = tokenizer.tokenCoverage();
  return {
    train,
    test,
    testShortVersions,
    tokenizer,
    distinctWords: tokenizer.distinctWords,
    droppedTokenShare: coverage.total === 0 ? 0 : 1 - coverage.inVocabulary / coverage.total,
    samples: pickSamples(reviews.train, train),
    timings: { trainMs, testMs },
  };
}

function encodeSplit(
  split: Split,
  reviews: readonly Review[],
  sequenceOf: (index: number) => ArrayLike<number>,
  options: EncodeOptions,
): EncodedSplit {
  const count = reviews.length;
  const { maxlen } = options;
  const ids = new Int32Array(count * maxlen);
  const labels = new Uint8Array(count);
  const lengths = new Int32Array(count);
  const reviewIds = new Int32Array(count);
  let positives = 0;
  for (let i = 0; i < count; i++) {
    const sequence = sequenceOf(i);
    lengths[i] = sequence.length;
    writePaddedRow(sequence, ids, i * maxlen, maxlen, options.padding, options.truncating);
    labels[i] = reviews[i]!.label;
    reviewIds[i] = reviews[i]!.id;
    positives += labels[i]!;
  }
  return { split, count, positives, negatives: count - positives, maxlen, ids, labels, lengths, reviewIds };
}

/** A few training reviews of each label, to show beside their padded ids. */
function pickSamples(reviews: readonly Review[], encoded: EncodedSplit): SampleReview[] {
  const picked: SampleReview[] = [];
  const perLabel = [0, 0];
  for (let i = 0; i < reviews.length && picked.length < SAMPLE_COUNT; i++) {
    const review = reviews[i]!;
    if (perLabel[review.label]! >= SAMPLE_COUNT / 2) continue;
    perLabel[review.label]!++;
    picked.push({
      id: review.id,
      rating: review.rating,
      label: review.label,
      text: review.text,
      paddedIds: Array.from(encoded.ids.subarray(i * encoded.maxlen, (i + 1) * encoded.maxlen)),
      tokens: encoded.lengths[i]!,
    });
  }
  return picked;
}
