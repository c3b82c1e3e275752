/**
 * A bundle as files: one zip, or model.json + its .bin weights + tokenizer.json + metadata.json.
 * Reading accepts either (and a zip among separate files), recognises JSON files by their content
 * so renamed downloads still load, and names whatever is missing or malformed.
 */
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { isObject, parseJson } from './json';
import { validateMetadata } from './metadata';
import { validateModelJson } from './topology';
import { BundleError, FILE_NAMES } from './bundleError';
import { type ModelBundle, type ModelJson } from './types';

export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

const encodeJson = (value: unknown) => strToU8(JSON.stringify(value, null, 2));

/** The four files of a bundle, with the names model.json's manifest uses. */
export function bundleToFiles(bundle: ModelBundle): NamedBytes[] {
  return [
    { name: FILE_NAMES.model, bytes: strToU8(JSON.stringify(bundle.modelJson)) },
    { name: FILE_NAMES.weights, bytes: new Uint8Array(bundle.weightData) },
    { name: FILE_NAMES.tokenizer, bytes: strToU8(bundle.tokenizerJson) },
    { name: FILE_NAMES.metadata, bytes: encodeJson(bundle.metadata) },
  ];
}

/** One zip of the four files; the weights are stored (float noise barely deflates), JSON deflated. */
export function bundleToZip(bundle: ModelBundle): Uint8Array {
  const entries: Zippable = {};
  for (const file of bundleToFiles(bundle)) {
    entries[file.name] = [file.bytes, { level: file.name.endsWith('.bin') ? 0 : 6 }];
  }
  return zipSync(entries, { mtime: new Date(bundle.metadata.createdAt) });
}

export const isZip = (file: NamedBytes): boolean =>
  file.name.toLowerCase().endsWith('.zip') ||
  (file.bytes.length >= 4 &&
    file.bytes[0] === 0x50 &&
    file.bytes[1] === 0x4b &&
    file.bytes[2] === 3 &&
    file.bytes[3] === 4);

export const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** The files given, with each zip replaced by the files inside it (named `<zip>: <file>`). */
export function expandZips(files: readonly NamedBytes[]): NamedBytes[] {
  const out: NamedBytes[] = [];
  for (const file of files) {
    if (!isZip(file)) {
      out.push(file);
      continue;
    }
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(file.bytes);
    } catch (error) {
      throw new BundleError(`${file.name} is not a readable zip file (${(error as Error).message}).`, { cause: error });
    }
    const inside = Object.entries(entries).filter(([path]) => !path.endsWith('/') && !baseName(path).startsWith('.'));
    if (inside.length === 0) throw new BundleError(`${file.name} holds no files.`);
    for (const [path, bytes] of inside) out.push({ name: `${file.name}: ${baseName(path)}`, bytes });
  }
  return out;
}

type Role = 'model' | 'tokenizer' | 'metadata';

export function decodeText(file: NamedBytes): string {
  try {
    return strFromU8(file.bytes);
  } catch (error) {
    throw new BundleError(`${file.name} is not UTF-8 text.`, { cause: error });
  }
}

function roleOf(file: NamedBytes, value: unknown): Role {
  if (isObject(value)) {
    if ('modelTopology' in value) return 'model';
    if (value.class_name === 'Tokenizer') return 'tokenizer';
    if ('format' in value && 'maxlen' in value) return 'metadata';
  }
  throw new BundleError(
    `${file.name} is JSON but none of model.json (tfjs layers model), tokenizer.json (Keras Tokenizer) or metadata.json.`,
  );
}

/** Reads a bundle from a zip and/or separate files. Throws a BundleError naming what is wrong. */
export function bundleFromFiles(files: readonly NamedBytes[]): ModelBundle {
  if (files.length === 0) throw new BundleError('No files were given.');
  const all = expandZips(files);
  const found: Partial<Record<Role, { file: NamedBytes; value: unknown }>> = {};
  const binaries: NamedBytes[] = [];
  for (const file of all) {
    const lower = file.name.toLowerCase();
    if (lower.endsWith('.bin')) {
      binaries.push(file);
      continue;
    }
    if (!lower.endsWith('.json')) {
      throw new BundleError(
        `${file.name} is not part of a model: expected model.json, its .bin weights, tokenizer.json and metadata.json, or a .zip of them.`,
      );
    }
    const value = parseJson(decodeText(file), file.name);
    const role = roleOf(file, value);
    const previous = found[role];
    if (previous)
      throw new BundleError(
        `Two ${FILE_NAMES[role]} files were given (${previous.file.name} and ${file.name}); load one model at a time.`,
      );
    found[role] = { file, value };
  }
  if (!found.model) throw new BundleError(`No ${FILE_NAMES.model} was given (the tfjs model topology).`);
  if (!found.tokenizer) {
    throw new BundleError(
      `No ${FILE_NAMES.tokenizer} was given: the model cannot read text without the tokenizer it was trained with.`,
    );
  }
  if (!found.metadata) {
    throw new BundleError(
      `No ${FILE_NAMES.metadata} was given: it holds maxlen and the padding the model was trained with.`,
    );
  }
  const modelJson = validateModelJson(found.model.value);
  const metadata = validateMetadata(found.metadata.value);
  return {
    modelJson: singleWeightsFile(modelJson),
    weightData: gatherWeights(modelJson, binaries),
    tokenizerJson: decodeText(found.tokenizer.file),
    metadata,
  };
}

/** The weight bytes in manifest order: each path found by name (or the only .bin given, if renamed). */
function gatherWeights(model: ModelJson, binaries: readonly NamedBytes[]): ArrayBuffer {
  const paths = model.weightsManifest.flatMap((g) => g.paths);
  const byName = new Map(binaries.map((b) => [baseName(b.name.replace(/^.*: /, '')), b]));
  const parts = paths.map((path) => {
    const exact = byName.get(baseName(path));
    if (exact) return exact;
    if (paths.length === 1 && binaries.length === 1) return binaries[0]!;
    throw new BundleError(`The weights file ${baseName(path)} that ${FILE_NAMES.model} names was not given.`);
  });
  const total = parts.reduce((n, p) => n + p.bytes.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part.bytes, offset);
    offset += part.bytes.length;
  }
  return out.buffer;
}

/** A bundle keeps its weights in one file, whatever shards it was loaded from. */
function singleWeightsFile(model: ModelJson): ModelJson {
  return {
    ...model,
    weightsManifest: [{ paths: [FILE_NAMES.weights], weights: model.weightsManifest.flatMap((g) => g.weights) }],
  };
}
