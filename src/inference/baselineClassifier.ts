/**
 * The baseline in the Classify box: the same Classification the LSTM's classifier gives, so the
 * word-by-word view shows it. It reads every word (no numWords cut, no maxlen), and a word's
 * "change as read" is the weight of the n-grams it completes (see baseline/scorer.ts).
 */
import { BaselineScorer } from '../baseline/scorer';
import type { LinearModel } from '../baseline/train';
import type { ReadToken } from './readReview';
import type { ForwardPassInfo } from './forwardPass';
import { sigmoid } from './forwardPass';
import type { Classification, LeaveOneOut, TextClassifier } from './reviewClassifier';

/** Words shown and explained (a 1 MB paste has ~200,000; the probability reads them all). */
export const EXPLAIN_LIMIT = 400;

export class BaselineClassifier implements TextClassifier {
  readonly forwardPass: ForwardPassInfo;
  private readonly scorer: BaselineScorer;

  constructor(model: LinearModel) {
    this.scorer = new BaselineScorer(model);
    this.forwardPass = {
      kind: 'linear',
      note: `${model.features.length} n-gram weights (${model.unigrams} unigrams, ${model.features.length - model.unigrams} bigrams)`,
    };
  }

  classify(text: string): Classification {
    const started = performance.now();
    const words = this.scorer.words(text);
    const scored = this.scorer.score(words, EXPLAIN_LIMIT);
    const tokens: ReadToken[] = scored.readings.map((reading, k) => ({
      word: reading.word,
      id: reading.unigram,
      status: reading.unigram === null ? 'oov' : 'kept',
      oov: reading.unigram === null,
      step: k,
    }));
    const bias = this.scorer.model.bias;
    const reading = {
      words: scored.words,
      sequenceLength: scored.words,
      oovWords: scored.unknownWords,
      truncated: false,
      truncatedIds: 0,
      tokens,
      tokensFrom: 0,
    };
    const ngrams = { unigrams: scored.unigrams, bigrams: scored.bigrams };
    if (words.length === 0)
      return {
        probability: null,
        milliseconds: performance.now() - started,
        forwardPass: this.forwardPass,
        reading,
        words: [],
        startProbability: null,
        ngrams,
      };
    return {
      probability: sigmoid(scored.logit),
      milliseconds: performance.now() - started,
      forwardPass: this.forwardPass,
      reading,
      words: scored.readings.map((r, k) => ({
        probability: sigmoid(r.logit),
        change: r.logit - (k === 0 ? bias : scored.readings[k - 1]!.logit),
        features: r.added,
      })),
      startProbability: sigmoid(bias),
      ngrams,
    };
  }

  probability(text: string): number {
    return this.scorer.probability(text);
  }

  leaveOneOut(text: string): LeaveOneOut {
    const started = performance.now();
    const words = this.scorer.words(text);
    if (words.length === 0)
      return { probabilities: null, unavailable: 'There are no words to leave out.', milliseconds: 0 };
    const logits = this.scorer.leaveOneOut(words, EXPLAIN_LIMIT);
    return { probabilities: logits.map(sigmoid), unavailable: null, milliseconds: performance.now() - started };
  }

  projectAhead(): boolean {
    return true;
  }
}
