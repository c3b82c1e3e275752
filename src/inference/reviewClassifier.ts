/** A validated bundle ready to classify text: its tokenizer, padding and forward pass together. */
import type { ValidatedBundle } from '../bundle/validate';
import type { BundleMetadata } from '../bundle/metadata';
import type { Tokenizer } from '../text/tokenizer';
import { writePaddedRow } from '../text/pad';
import { LstmClassifier } from './lstmClassifier';
import { readReview, type ReviewReading } from './readReview';

/** What one word did to the prediction as the LSTM read it (see ReadToken.step for which word). */
export interface WordEffect {
  /** P(positive) of the review cut after this word. */
  probability: number;
  /** The change in logit from the word before (or from the padding before the first word). */
  change: number;
}

export interface Classification {
  /** P(positive); null when the text has no words to read. */
  probability: number | null;
  /** Tokenize + pad + forward pass, in the worker. */
  milliseconds: number;
  reading: Omit<ReviewReading, 'ids'>;
  /** Word by word, in the order read (empty when there are no words); `startProbability` is before the first. */
  words: WordEffect[];
  startProbability: number | null;
}

/** P(positive) with each word the model reads left out, in reading order; or why it is not computed. */
export interface LeaveOneOut {
  probabilities: number[] | null;
  unavailable: string | null;
  milliseconds: number;
}

export class ReviewClassifier {
  readonly metadata: BundleMetadata;
  private readonly tokenizer: Tokenizer;
  private readonly model: LstmClassifier;

  constructor(validated: ValidatedBundle) {
    this.metadata = validated.bundle.metadata;
    this.tokenizer = validated.tokenizer;
    this.model = new LstmClassifier({
      architecture: validated.architecture,
      weights: new Float32Array(validated.bundle.weightData),
      offsets: validated.weightOffsets,
    });
    this.model.warmUp(this.metadata.maxlen);
  }

  /** The padded ids for a text, as the model was trained to read them. */
  read(text: string, displayLimit?: number): ReviewReading {
    const { maxlen, padding, truncating } = this.metadata;
    return readReview(this.tokenizer, text, { maxlen, padding, truncating, displayLimit });
  }

  probabilityOfIds(ids: ArrayLike<number>): number {
    return this.model.probability(ids);
  }

  classify(text: string): Classification {
    const started = performance.now();
    const { ids, ...reading } = this.read(text);
    // No words (empty text, only punctuation): the model would only see padding.
    if (reading.words === 0)
      return {
        probability: null,
        milliseconds: performance.now() - started,
        reading,
        words: [],
        startProbability: null,
      };
    const { probability, steps, logitBefore } = this.model.explain(ids);
    const words = steps.map((step, k) => ({
      probability: step.probability,
      change: step.logit - (k === 0 ? logitBefore : steps[k - 1]!.logit),
    }));
    const startProbability = 1 / (1 + Math.exp(-logitBefore));
    return { probability, milliseconds: performance.now() - started, reading, words, startProbability };
  }

  /**
   * For each word the model reads, P(positive) of the review without it (re-padded as trained):
   * one forward pass per word, so only for reviews that fit in maxlen (longer ones would bring
   * a cut word back into the window).
   */
  leaveOneOut(text: string): LeaveOneOut {
    const started = performance.now();
    const { maxlen, padding, truncating } = this.metadata;
    const { ids, sequenceLength } = this.read(text, 0);
    const unavailable = (reason: string): LeaveOneOut => ({
      probabilities: null,
      unavailable: reason,
      milliseconds: 0,
    });
    if (sequenceLength === 0) return unavailable('There are no words in the vocabulary to leave out.');
    if (sequenceLength > maxlen)
      return unavailable(
        `Leave one out is shown for reviews of up to maxlen (${maxlen}) words; this one has ${sequenceLength}.`,
      );
    // Every id fits (no truncation) and none is 0 (the padding id), so the row without its zeros is the sequence.
    const sequence = Array.from(ids).filter((id) => id !== 0);
    const row = new Int32Array(maxlen);
    const probabilities = sequence.map((_, k) => {
      row.fill(0);
      writePaddedRow([...sequence.slice(0, k), ...sequence.slice(k + 1)], row, 0, maxlen, padding, truncating);
      return this.model.probability(row);
    });
    return { probabilities, unavailable: null, milliseconds: performance.now() - started };
  }
}
