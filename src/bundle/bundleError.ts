/** A problem with a bundle or one of its files; the message names the file and what is wrong. */
export class BundleError extends Error {
  override readonly name = 'BundleError';
}

/** The files of a bundle, as downloaded and as tfjs's `model.json` refers to the weights. */
export const FILE_NAMES = {
  model: 'model.json',
  weights: 'model.weights.bin',
  tokenizer: 'tokenizer.json',
  metadata: 'metadata.json',
} as const;
