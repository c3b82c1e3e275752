/** Cross-checks a bundle's parts: model.json, weights, tokenizer and metadata must fit together. */
import { Tokenizer } from '../text/tokenizer';
import { validateMetadata } from './metadata';
import { checkWeights, readArchitecture, validateModelJson, type Architecture } from './topology';
import { BundleError, FILE_NAMES } from './bundleError';
import { type ModelBundle } from './types';

export interface ValidatedBundle {
  bundle: ModelBundle;
  architecture: Architecture;
  tokenizer: Tokenizer;
  /** Element offset of each weight in the Float32 view of `weightData`. */
  weightOffsets: number[];
}

export function parseTokenizer(json: string): Tokenizer {
  try {
    return Tokenizer.fromJson(json);
  } catch (error) {
    throw new BundleError(`${FILE_NAMES.tokenizer} is not a Keras tokenizer JSON: ${(error as Error).message}.`, {
      cause: error,
    });
  }
}

/**
 * Everything a bundle must satisfy before it replaces the current model. Throws a BundleError
 * naming the file and the mismatch; runs the same checks whichever way the bundle arrived.
 */
export function validateBundle(bundle: ModelBundle): ValidatedBundle {
  const modelJson = validateModelJson(bundle.modelJson);
  const metadata = validateMetadata(bundle.metadata);
  const architecture = readArchitecture(modelJson);
  const weightOffsets = checkWeights(modelJson, architecture, bundle.weightData.byteLength);
  const tokenizer = parseTokenizer(bundle.tokenizerJson);

  const { tokenizer: T, metadata: M, model: J } = FILE_NAMES;
  if (tokenizer.numWords !== metadata.numWords) {
    throw new BundleError(`${T} has num_words ${tokenizer.numWords}, but ${M} says numWords ${metadata.numWords}.`);
  }
  if (tokenizer.oovToken !== metadata.oovToken) {
    throw new BundleError(
      `${T} has oov_token ${JSON.stringify(tokenizer.oovToken)}, but ${M} says ${JSON.stringify(metadata.oovToken)}.`,
    );
  }
  if (tokenizer.vocabularySize > architecture.vocabularySize) {
    throw new BundleError(
      `${T} produces word ids up to ${tokenizer.vocabularySize - 1}, but the model's Embedding only takes ids below ` +
        `${architecture.vocabularySize}: the tokenizer belongs to another model.`,
    );
  }
  if (architecture.inputLength !== null && architecture.inputLength !== metadata.maxlen) {
    throw new BundleError(
      `${J} takes sequences of length ${architecture.inputLength}, but ${M} says maxlen ${metadata.maxlen}.`,
    );
  }
  return { bundle: { ...bundle, modelJson, metadata }, architecture, tokenizer, weightOffsets };
}
