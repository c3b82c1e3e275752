/**
 * npx tsx scripts/baseline-predict.ts <baseline.zip> <review.txt>…
 *
 * Reads a downloaded baseline with its own few lines, importing nothing from the app: Keras's
 * `text_to_word_sequence` with baseline.json's reading, the review's distinct unigrams and
 * bigrams looked up in features.txt, their float32 weights from weights.bin summed with the bias,
 * and the logistic function. Prints one JSON line: { probabilities: number[] }.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { strFromU8, unzipSync } from 'fflate';

interface Reading {
  lower: boolean;
  filters: string;
  split: string;
}

/** Keras `text_to_word_sequence`: lowercase, each filter character becomes the split string, split, drop empties. */
function words(text: string, reading: Reading): string[] {
  let s = reading.lower ? text.toLowerCase() : text;
  for (const c of reading.filters) s = s.split(c).join(reading.split);
  return s.split(reading.split).filter((w) => w.length > 0);
}

export function loadBaselineZip(zip: Uint8Array): { predict: (texts: readonly string[]) => number[] } {
  const files = unzipSync(zip);
  const file = (name: string) => {
    const bytes = files[name];
    if (!bytes) throw new Error(`${name} is missing from the zip`);
    return bytes;
  };
  const meta = JSON.parse(strFromU8(file('baseline.json'))) as { reading: Reading; model: { bias: number } };
  const features = strFromU8(file('features.txt')).split('\n');
  const bytes = file('weights.bin');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const weight = new Map<string, number>();
  features.forEach((feature, j) => weight.set(feature, view.getFloat32(j * 4, true)));
  const predict = (texts: readonly string[]) =>
    texts.map((text) => {
      const w = words(text, meta.reading);
      const present = new Set<string>(w);
      for (let k = 1; k < w.length; k++) present.add(w[k - 1] + meta.reading.split + w[k]);
      let z = meta.model.bias;
      for (const ngram of present) z += weight.get(ngram) ?? 0;
      return 1 / (1 + Math.exp(-z));
    });
  return { predict };
}

async function main(): Promise<void> {
  const [zipPath, ...textPaths] = process.argv.slice(2);
  if (!zipPath || textPaths.length === 0) throw new Error('usage: baseline-predict.ts <baseline.zip> <review.txt>…');
  const texts = await Promise.all(textPaths.map((p) => readFile(p, 'utf8')));
  const probabilities = loadBaselineZip(new Uint8Array(await readFile(zipPath))).predict(texts);
  console.log(JSON.stringify({ probabilities }));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
