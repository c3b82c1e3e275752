/** A validated bundle ready to classify text: its tokenizer, padding and forward pass together. */
import type { ValidatedBundle } from '../bundle/validate';
import type { BundleMetadata } from '../bundle/metadata';
import type { Tokenizer } from '../text/tokenizer';
import { LstmClassifier } from './lstmClassifier';
import { readReview, type ReviewReading } from './readReview';

export interface Classification {
  /** P(positive); null when the text has no words to read. */
  probability: number | null;
  /** Tokenize + pad + forward pass, in the worker. */
  milliseconds: number;
  reading: Omit<ReviewReading, 'ids'>;
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
    const probability = reading.words === 0 ? null : this.model.probability(ids);
    return { probability, milliseconds: performance.now() - started, reading };
  }
}
