/** What classifies one padded row of ids: the plain TypeScript pass or the WebAssembly kernels. */

/** The model's reading after one word: the logit and P(positive) of the review cut there. */
export interface WordStep {
  /** Index of the word in the padded row. */
  position: number;
  id: number;
  logit: number;
  probability: number;
}

export interface ForwardPass {
  readonly vocabularySize: number;
  /** P(positive) for one padded row of token ids. */
  probability(ids: ArrayLike<number>): number;
  /**
   * P(positive) for one padded row, and the model's reading word by word: after each word (each
   * non-padding id, in order) the Dense head applied to that step's hidden state, as if the review
   * ended there; `logitBefore` is the head's logit before the first word.
   */
  explain(ids: ArrayLike<number>): { probability: number; steps: WordStep[]; logitBefore: number };
  /** Computes the padding states up front, so the first classification is as fast as the next. */
  warmUp(maxlen: number): void;
  /**
   * A slice of work that makes later reviews faster (a few ms at most), for idle moments; true
   * when there is none left.
   */
  projectAhead(): boolean;
}

/** Which forward pass classifies, and why not the WebAssembly one when it is not ('linear': the baseline). */
export interface ForwardPassInfo {
  kind: 'wasm' | 'plain' | 'linear';
  /** Why the plain pass runs (the kernels are missing or cannot run this model); null otherwise. */
  note: string | null;
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
