/**
 * npx tsx scripts/plain-tfjs-predict.ts <model.zip> <review.txt>…
 *
 * Proves a downloaded model works in any tfjs program: loads model.json + its weights with plain
 * `tf.loadLayersModel` and reads tokenizer.json (Keras `tokenizer_from_json` format) and
 * metadata.json with its own few lines of Keras semantics. It imports nothing from the app.
 * Prints one JSON line: { probabilities: number[] }.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { strFromU8, unzipSync } from 'fflate';

interface KerasTokenizerConfig {
  num_words: number | null;
  filters: string;
  lower: boolean;
  split: string;
  oov_token: string | null;
  word_index: string;
}

/** Keras `text_to_word_sequence` + `texts_to_sequences` for one text. */
function textToSequence(text: string, config: KerasTokenizerConfig, wordIndex: Record<string, number>): number[] {
  let s = config.lower ? text.toLowerCase() : text;
  for (const c of config.filters) s = s.split(c).join(config.split);
  const oovIndex = config.oov_token === null ? undefined : wordIndex[config.oov_token];
  const sequence: number[] = [];
  for (const word of s.split(config.split)) {
    if (!word) continue;
    const index = Object.hasOwn(wordIndex, word) ? wordIndex[word] : undefined;
    if (index !== undefined && (config.num_words === null || index < config.num_words)) sequence.push(index);
    else if (oovIndex !== undefined) sequence.push(oovIndex);
  }
  return sequence;
}

/** Keras `pad_sequences` for one sequence. */
function pad(sequence: number[], maxlen: number, padding: string, truncating: string): number[] {
  const kept =
    sequence.length > maxlen ? (truncating === 'pre' ? sequence.slice(-maxlen) : sequence.slice(0, maxlen)) : sequence;
  const zeros = new Array<number>(maxlen - kept.length).fill(0);
  return padding === 'pre' ? [...zeros, ...kept] : [...kept, ...zeros];
}

/** A downloaded zip, loaded with plain tfjs: its model and its own reading of the text. */
export async function loadZip(
  zip: Uint8Array,
): Promise<{ predict: (texts: readonly string[]) => number[]; dispose: () => void }> {
  const files = unzipSync(zip);
  const text = (name: string) => {
    const bytes = files[name];
    if (!bytes) throw new Error(`${name} is missing from the zip`);
    return strFromU8(bytes);
  };
  const modelJson = JSON.parse(text('model.json')) as {
    modelTopology: object;
    weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  };
  const shards = modelJson.weightsManifest.flatMap((g) => g.paths).map((p) => files[p]!);
  const weightData = new Uint8Array(shards.reduce((n, s) => n + s.length, 0));
  shards.reduce((offset, s) => (weightData.set(s, offset), offset + s.length), 0);
  const model = await tf.loadLayersModel({
    load: async () => ({
      modelTopology: masksZero(modelJson.modelTopology)
        ? withFreeLength(modelJson.modelTopology)
        : modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
      weightData: weightData.buffer,
    }),
  });

  const tokenizer = JSON.parse(text('tokenizer.json')) as { config: KerasTokenizerConfig };
  const wordIndex = JSON.parse(tokenizer.config.word_index) as Record<string, number>;
  const metadata = JSON.parse(text('metadata.json')) as { maxlen: number; padding: string; truncating: string };
  // Keras semantics of mask_zero: a masked step leaves the LSTM's state as it was, so leading
  // padding changes nothing and each batch need only be as long as its longest review (exact, and
  // far faster on short texts than padding all of them to maxlen).
  const masked = masksZero(modelJson.modelTopology);
  const predict = (texts: readonly string[]): number[] => {
    const sequences = texts.map((t) => textToSequence(t, tokenizer.config, wordIndex));
    const order = sequences.map((_, i) => i);
    if (masked) order.sort((a, b) => sequences[a]!.length - sequences[b]!.length);
    const probabilities = new Array<number>(texts.length);
    // In batches: tfjs keeps every timestep's tensors of a batch until its predict returns.
    for (let from = 0; from < order.length; from += PREDICT_BATCH) {
      const batch = order.slice(from, from + PREDICT_BATCH);
      const longest = Math.max(1, ...batch.map((i) => Math.min(sequences[i]!.length, metadata.maxlen)));
      const width = masked ? longest : metadata.maxlen;
      const rows = batch.map((i) => {
        const kept = pad(sequences[i]!, metadata.maxlen, metadata.padding, metadata.truncating);
        // Pre-padded rows keep their words at the end; post-padded at the start.
        return metadata.padding === 'pre' ? kept.slice(kept.length - width) : kept.slice(0, width);
      });
      const output = tf.tidy(() => {
        const input = tf.tensor2d(rows, [rows.length, width], 'int32');
        return Array.from((model.predict(input) as tf.Tensor).dataSync());
      });
      batch.forEach((i, k) => (probabilities[i] = output[k]!));
    }
    return probabilities;
  };
  return { predict, dispose: () => model.dispose() };
}

const PREDICT_BATCH = 256;

interface KerasLayer {
  class_name?: string;
  config?: { mask_zero?: boolean; batch_input_shape?: unknown; batch_shape?: unknown; input_length?: unknown };
}

/** The layers of a Sequential topology: tfjs writes {class_name, config: {layers}}; Keras wraps it in model_config. */
function layersOf(topology: object): KerasLayer[] {
  const model = (topology as { model_config?: object }).model_config ?? topology;
  return (model as { config?: { layers?: KerasLayer[] } }).config?.layers ?? [];
}

/** Whether the model's Embedding layer has `mask_zero`. */
function masksZero(topology: object): boolean {
  return layersOf(topology).some((layer) => layer.class_name === 'Embedding' && layer.config?.mask_zero === true);
}

/** The same topology with the input length left free (Keras's `input_length=None`), so a batch can be shorter than maxlen. */
function withFreeLength(topology: object): object {
  const copy = structuredClone(topology);
  for (const layer of layersOf(copy)) {
    for (const key of ['batch_input_shape', 'batch_shape'] as const) {
      const shape = layer.config?.[key];
      if (Array.isArray(shape) && shape.length === 2) layer.config![key] = [shape[0], null];
    }
    if (layer.config && 'input_length' in layer.config) layer.config.input_length = null;
  }
  return copy;
}

export async function predictFromZip(zip: Uint8Array, texts: readonly string[]): Promise<number[]> {
  const loaded = await loadZip(zip);
  const probabilities = loaded.predict(texts);
  loaded.dispose();
  return probabilities;
}

async function main(): Promise<void> {
  const [zipPath, ...textPaths] = process.argv.slice(2);
  if (!zipPath || textPaths.length === 0) throw new Error('usage: plain-tfjs-predict.ts <model.zip> <review.txt>…');
  await tf.setBackend('cpu');
  const texts = await Promise.all(textPaths.map((p) => readFile(p, 'utf8')));
  const probabilities = await predictFromZip(new Uint8Array(await readFile(zipPath)), texts);
  console.log(JSON.stringify({ probabilities }));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
