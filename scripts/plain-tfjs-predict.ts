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
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
      weightData: weightData.buffer,
    }),
  });

  const tokenizer = JSON.parse(text('tokenizer.json')) as { config: KerasTokenizerConfig };
  const wordIndex = JSON.parse(tokenizer.config.word_index) as Record<string, number>;
  const metadata = JSON.parse(text('metadata.json')) as { maxlen: number; padding: string; truncating: string };
  const predict = (texts: readonly string[]): number[] => {
    const probabilities: number[] = [];
    // In batches: tfjs keeps every timestep's tensors of a batch until its predict returns.
    for (let from = 0; from < texts.length; from += PREDICT_BATCH) {
      const rows = texts
        .slice(from, from + PREDICT_BATCH)
        .map((t) =>
          pad(textToSequence(t, tokenizer.config, wordIndex), metadata.maxlen, metadata.padding, metadata.truncating),
        );
      probabilities.push(
        ...tf.tidy(() => {
          const input = tf.tensor2d(rows, [rows.length, metadata.maxlen], 'int32');
          return Array.from((model.predict(input) as tf.Tensor).dataSync());
        }),
      );
    }
    return probabilities;
  };
  return { predict, dispose: () => model.dispose() };
}

const PREDICT_BATCH = 256;

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
