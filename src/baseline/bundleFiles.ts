/**
 * A baseline bundle as files (baseline.json, features.txt, weights.bin) or one zip of them, and
 * the one reader of model files: it tells a baseline from an LSTM bundle by its files and hands
 * LSTM files to the LSTM reader (src/bundle/files.ts), so both load through the same button.
 */
import { strFromU8, strToU8, zipSync, type Zippable } from 'fflate';
import { BundleError } from '../bundle/bundleError';
import { baseName, bundleFromFiles, decodeText, expandZips, type NamedBytes } from '../bundle/files';
import { isObject, parseJson } from '../bundle/json';
import type { ModelBundle } from '../bundle/types';
import { BASELINE_FILES, BASELINE_FORMAT, validateBaselineMetadata, type BaselineBundle } from './bundle';

export function baselineToFiles(bundle: BaselineBundle): NamedBytes[] {
  return [
    { name: BASELINE_FILES.model, bytes: strToU8(JSON.stringify(bundle.metadata, null, 2)) },
    { name: BASELINE_FILES.features, bytes: strToU8(bundle.featuresText) },
    { name: BASELINE_FILES.weights, bytes: new Uint8Array(bundle.weights) },
  ];
}

/** One zip: the text deflated, the weights stored (float noise barely deflates). */
export function baselineToZip(bundle: BaselineBundle): Uint8Array {
  const entries: Zippable = {};
  for (const file of baselineToFiles(bundle)) {
    entries[file.name] = [file.bytes, { level: file.name.endsWith('.bin') ? 0 : 6 }];
  }
  return zipSync(entries, { mtime: new Date(bundle.metadata.createdAt) });
}

const isBaselineJson = (value: unknown) => isObject(value) && value.format === BASELINE_FORMAT;

function parsedJson(file: NamedBytes): unknown {
  try {
    return JSON.parse(strFromU8(file.bytes));
  } catch {
    return null; // the reader it goes to names a malformed JSON file
  }
}

/**
 * Whether these files (zips opened) are a baseline's: a baseline.json by its content, or, with no
 * LSTM model.json among them, a file named features.txt or weights.bin (so a baseline missing its
 * baseline.json is told so). Anything else goes to the LSTM reader and its messages.
 */
function looksLikeBaseline(files: readonly NamedBytes[]): boolean {
  const json = files.filter((f) => f.name.toLowerCase().endsWith('.json')).map(parsedJson);
  if (json.some(isBaselineJson)) return true;
  if (json.some((value) => isObject(value) && 'modelTopology' in value)) return false;
  const names = files.map((f) => baseName(f.name.replace(/^.*: /, '')).toLowerCase());
  return names.includes(BASELINE_FILES.features) || names.includes(BASELINE_FILES.weights);
}

/**
 * Reads a baseline from its files (renamed downloads too: baseline.json is known by its content,
 * features by .txt, weights by .bin). Throws a BundleError naming what is missing or wrong; the
 * contents are checked by validateBaseline when the model is adopted.
 */
export function baselineFromFiles(files: readonly NamedBytes[]): BaselineBundle {
  let metadata = null as { file: NamedBytes; value: unknown } | null;
  let features: NamedBytes | null = null;
  let weights: NamedBytes | null = null;
  const once = (previous: NamedBytes | null, file: NamedBytes, what: string) => {
    if (previous)
      throw new BundleError(
        `Two ${what} files were given (${previous.name} and ${file.name}); load one model at a time.`,
      );
    return file;
  };
  for (const file of files) {
    const lower = file.name.toLowerCase();
    if (lower.endsWith('.bin')) weights = once(weights, file, BASELINE_FILES.weights);
    else if (lower.endsWith('.txt')) features = once(features, file, BASELINE_FILES.features);
    else if (lower.endsWith('.json')) {
      const value = parseJson(decodeText(file), file.name);
      if (!isBaselineJson(value))
        throw new BundleError(
          `${file.name} is not part of a baseline: a baseline is ${Object.values(BASELINE_FILES).join(', ')} (or a zip of them), and an LSTM's files cannot be mixed in.`,
        );
      metadata = { file: once(metadata?.file ?? null, file, BASELINE_FILES.model), value };
    } else
      throw new BundleError(
        `${file.name} is not part of a baseline: expected ${Object.values(BASELINE_FILES).join(', ')}, or a .zip of them.`,
      );
  }
  if (!metadata)
    throw new BundleError(`No ${BASELINE_FILES.model} was given (the baseline's format, reading and bias).`);
  if (!features) throw new BundleError(`No ${BASELINE_FILES.features} was given: the baseline's n-grams are in it.`);
  if (!weights) throw new BundleError(`No ${BASELINE_FILES.weights} was given: the baseline's weights are in it.`);
  const bytes = weights.bytes;
  return {
    kind: 'baseline',
    metadata: validateBaselineMetadata(metadata.value),
    featuresText: decodeText(features),
    weights: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  };
}

/** Any model's files: a baseline's or an LSTM's, told apart by what they hold. */
export function modelFromFiles(files: readonly NamedBytes[]): ModelBundle | BaselineBundle {
  if (files.length === 0) throw new BundleError('No files were given.');
  const all = expandZips(files);
  return looksLikeBaseline(all) ? baselineFromFiles(all) : bundleFromFiles(files);
}
