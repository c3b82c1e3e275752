/**
 * npm run peer:short-texts [-- --arch lstm|bilstm|lstmmax|… --units 128 --num-words 20000 …]
 *
 * Issue #13's question asked outside the app: does another recurrent layer, or a readout over every
 * step, do better on short texts than the app's LSTM? PyTorch on the CPU (scripts/peer/short_texts.py)
 * trains it on the app's own tokenization of the real shards (written here, once per vocabulary size,
 * into .cache/peer-sequences/, git-ignored), with the Recommended preset's training, and scores the
 * whole test reviews and their short versions (the app's rules, src/text/shortVersions.ts) against
 * the dataset's labels. Architectures the app cannot train yet can be tried here first. Arguments
 * other than --num-words go to the Python script (its --help lists them). Needs `npm run data` and
 * PyTorch (apt-get install python3-torch libopenblas0-pthread).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodeDataset } from '../src/data/prepareDataset';
import type { PackedSequences } from '../src/data/shortVersionSequences';
import { PROJECT_ROOT } from './lib/paths';
import { peerEnvironment, peerUnavailableReason, PYTHON } from './lib/peer';
import { readSplit } from './lib/shards';

const MAXLEN = 500;

function argument(args: string[], name: string, fallback: string): string {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const [value] = args.splice(at, 2).slice(1);
  return value ?? fallback;
}

const bytes = (array: ArrayBufferView) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

/** The app's tokenizer fitted on the training reviews, its sequences as raw little-endian arrays. */
function writeSequences(dir: string, numWords: number): void {
  if (existsSync(path.join(dir, 'done'))) return;
  console.log(`Tokenizing the shards for ${numWords} words into ${path.relative(PROJECT_ROOT, dir)}…`);
  mkdirSync(dir, { recursive: true });
  const encoded = encodeDataset(
    { train: readSplit('train'), test: readSplit('test') },
    { numWords, maxlen: MAXLEN, padding: 'pre', truncating: 'pre', oovToken: null },
    () => {},
  );
  for (const split of [encoded.train, encoded.test]) {
    writeFileSync(path.join(dir, `${split.split}.ids`), bytes(split.ids));
    writeFileSync(path.join(dir, `${split.split}.labels`), bytes(split.labels));
    writeFileSync(path.join(dir, `${split.split}.lengths`), bytes(split.lengths));
  }
  const packed: Array<[string, PackedSequences]> = [
    ['last20', encoded.testShortVersions.lastWords],
    ['lastSentence', encoded.testShortVersions.lastSentence],
  ];
  for (const [name, sequences] of packed) {
    writeFileSync(path.join(dir, `${name}.offsets`), bytes(sequences.offsets));
    writeFileSync(path.join(dir, `${name}.ids`), bytes(sequences.ids));
  }
  writeFileSync(path.join(dir, 'done'), `${MAXLEN}\n`);
}

function main(): void {
  const unavailable = peerUnavailableReason();
  if (unavailable) throw new Error(unavailable);
  const args = process.argv.slice(2);
  const numWords = Number(argument(args, '--num-words', '20000'));
  const dir = path.join(PROJECT_ROOT, '.cache', 'peer-sequences', String(numWords));
  writeSequences(dir, numWords);
  const run = spawnSync(
    PYTHON,
    [
      path.join(PROJECT_ROOT, 'scripts', 'peer', 'short_texts.py'),
      '--data',
      dir,
      '--vocab',
      String(numWords),
      '--maxlen',
      String(MAXLEN),
      ...args,
    ],
    { stdio: 'inherit', env: peerEnvironment() },
  );
  process.exit(run.status ?? 1);
}

main();
