/** A validated bundle ready to classify text: its tokenizer, padding and forward pass together. */
import type { ValidatedBundle } from '../bundle/validate';
import type { BundleMetadata } from '../bundle/metadata';
import type { Tokenizer } from '../text/tokenizer';
import { writePaddedRow } from '../text/pad';
import type { ForwardPass, ForwardPassInfo } from './forwardPass';
import { LstmClassifier, type ClassifierParts } from './lstmClassifier';
import { WasmLstmClassifier, wasmClassifierUnsupportedReason } from './wasmLstmClassifier';
import { readReview, type ReviewReading } from './readReview';

/** What one word did to the prediction as the LSTM read it (see ReadToken.step for which word). */
export interface WordEffect {
  /** P(positive) of the review cut after this word. */
  probability: number;
  /** The change in logit from the word before (or from the padding before the first word). */
  change: number;
  /** The baseline's n-grams this word completed for the first time, with their weights (its `change`). */
  features?: { text: string; weight: number }[];
}

export interface Classification {
  /** P(positive); null when the text has no words to read. */
  probability: number | null;
  /** Tokenize + pad + forward pass, in the worker. */
  milliseconds: number;
  forwardPass: ForwardPassInfo;
  reading: Omit<ReviewReading, 'ids'>;
  /** Word by word, in the order read (empty when there are no words); `startProbability` is before the first. */
  words: WordEffect[];
  startProbability: number | null;
  /** The baseline's distinct n-grams of its dictionary in the text; null for an LSTM. */
  ngrams?: { unigrams: number; bigrams: number } | null;
}

/** P(positive) with each word the model reads left out, in reading order; or why it is not computed. */
export interface LeaveOneOut {
  probabilities: number[] | null;
  unavailable: string | null;
  milliseconds: number;
}

/**
 * Where the WebAssembly kernels come from: the compiled plain build, or why there is none (no
 * WebAssembly SIMD in this browser, the module could not be fetched).
 */
export type Kernels = { module: WebAssembly.Module } | { missing: string };

/** The WebAssembly kernels' pass where they can run this model, else the plain TypeScript pass, saying why. */
function chooseForwardPass(
  parts: ClassifierParts,
  maxlen: number,
  kernels: Kernels,
): { model: ForwardPass; info: ForwardPassInfo } {
  const plain = (note: string) => ({ model: new LstmClassifier(parts), info: { kind: 'plain', note } as const });
  if ('missing' in kernels) return plain(kernels.missing);
  const unsupported = wasmClassifierUnsupportedReason(parts.architecture, maxlen);
  if (unsupported) return plain(unsupported);
  try {
    return { model: new WasmLstmClassifier(kernels.module, parts, maxlen), info: { kind: 'wasm', note: null } };
  } catch (error) {
    // Out of memory, most likely: the plain pass needs far less.
    return plain(error instanceof Error ? error.message : String(error));
  }
}

/** What the inference worker classifies with: an LSTM bundle's ReviewClassifier or the baseline's. */
export interface TextClassifier {
  readonly forwardPass: ForwardPassInfo;
  classify(text: string): Classification;
  /**
   * P(positive) alone, as a run's test evaluation computes it: a text with no words gets the
   * model's probability of its padding (or the baseline's bias), not null. For scoring many reviews.
   */
  probability(text: string): number;
  leaveOneOut(text: string): LeaveOneOut;
  /** A slice of idle-time work that makes reviews never seen faster; true when none is left. */
  projectAhead(): boolean;
}

export class ReviewClassifier implements TextClassifier {
  readonly metadata: BundleMetadata;
  readonly forwardPass: ForwardPassInfo;
  private readonly tokenizer: Tokenizer;
  private readonly model: ForwardPass;

  /** `kernels`: the WebAssembly kernels to classify with, where they can run this model. */
  constructor(validated: ValidatedBundle, kernels: Kernels = { missing: 'no WebAssembly kernels were given' }) {
    this.metadata = validated.bundle.metadata;
    this.tokenizer = validated.tokenizer;
    const parts = {
      architecture: validated.architecture,
      weights: new Float32Array(validated.bundle.weightData),
      offsets: validated.weightOffsets,
    };
    const { model, info } = chooseForwardPass(parts, this.metadata.maxlen, kernels);
    this.model = model;
    this.forwardPass = info;
    this.model.warmUp(this.metadata.maxlen);
  }

  /** A slice of idle-time work that makes reviews never seen faster; true when none is left. */
  projectAhead(): boolean {
    return this.model.projectAhead();
  }

  /** The padded ids for a text, as the model was trained to read them. */
  read(text: string, displayLimit?: number): ReviewReading {
    const { maxlen, padding, truncating } = this.metadata;
    return readReview(this.tokenizer, text, { maxlen, padding, truncating, displayLimit });
  }

  probabilityOfIds(ids: ArrayLike<number>): number {
    return this.model.probability(ids);
  }

  probability(text: string): number {
    // No words to display: only the padded row is needed.
    return this.model.probability(this.read(text, 0).ids);
  }

  classify(text: string): Classification {
    const started = performance.now();
    const { ids, ...reading } = this.read(text);
    // No words (empty text, only punctuation): the model would only see padding.
    if (reading.words === 0)
      return {
        probability: null,
        milliseconds: performance.now() - started,
        forwardPass: this.forwardPass,
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
    return {
      probability,
      milliseconds: performance.now() - started,
      forwardPass: this.forwardPass,
      reading,
      words,
      startProbability,
    };
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
