/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import { bundleFromArtifacts } from '../../../src/bundle/artifacts';
import { METADATA_FORMAT, METADATA_VERSION } from '../../../src/bundle/metadata';
import { validateBundle } from '../../../src/bundle/validate';
import { seededRandom } from '../../../src/data/random';
import { ReviewClassifier, type Kernels } from '../../../src/inference/reviewClassifier';
import { compileKernels } from '../../../src/model/wasm/compileKernels';
import { buildSentimentModel } from '../../../src/model/buildModel';
import { saveModelArtifacts } from '../../../src/model/exportModel';
import { Tokenizer } from '../../../src/text/tokenizer';
import { initBackend } from '../../../src/model/backend';
import { BENCH_WORDS, type InferenceBenchCase, type InferenceBenchResult, type LengthTiming } from './protocol';
import { serve } from '../../../src/workers/rpc';

const NUM_WORDS = 20000;
const MAXLEN = 200;
/** The app's default model; the same seed gives the same weights on every backend. */
const SHAPE = { vocabularySize: NUM_WORDS, maxlen: MAXLEN, embeddingDim: 128, lstmUnits: 128, dropout: 0, seed: 5 };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

/** A vocabulary "w1 … w24999" (equal counts keep first-seen order, so wN gets index N). */
function vocabularyTokenizer(): Tokenizer {
  const tokenizer = new Tokenizer({ numWords: NUM_WORDS });
  tokenizer.fitOnTexts([Array.from({ length: 25000 }, (_, i) => `w${i + 1}`).join(' ')]);
  return tokenizer;
}

/** Reviews of random in-vocabulary words; the first of each length is the fixed one compared across engines. */
function reviewWords(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => `w${1 + Math.floor(random() * (NUM_WORDS - 1))}`);
}

interface Predictor {
  /** ms for one prediction of these words, and its probability. */
  predict(words: readonly string[]): Promise<{ ms: number; probability: number }>;
}

interface Setup {
  predictor: Predictor;
  setupMs: number;
  fill: InferenceBenchResult['fill'];
  backend: string;
  renderer: string | null;
}

/** The app's classifier: on the WebAssembly kernels (`kernels`) or the plain pass, as the inference worker runs it. */
async function classifierPredictor(runtime: 'kernels' | 'plain' | 'probability-only'): Promise<Setup> {
  const withWords = runtime !== 'probability-only';
  const kernels: Kernels =
    runtime === 'kernels' ? { module: await compileKernels(false) } : { missing: 'the plain pass is measured' };
  await tf.setBackend('cpu');
  const model = buildSentimentModel(SHAPE);
  const artifacts = await saveModelArtifacts(model);
  model.dispose();
  const tokenizer = vocabularyTokenizer();
  const bundle = bundleFromArtifacts(artifacts, tokenizer.toJson(), {
    format: METADATA_FORMAT,
    formatVersion: METADATA_VERSION,
    name: 'benchmark',
    appVersion: 'bench',
    createdAt: new Date().toISOString(),
    maxlen: MAXLEN,
    padding: 'pre',
    truncating: 'pre',
    numWords: NUM_WORDS,
    oovToken: null,
    training: null,
    dataset: null,
    metrics: { validation: null, test: null },
  });
  const started = performance.now();
  const classifier = new ReviewClassifier(validateBundle(bundle), kernels);
  const setupMs = performance.now() - started;
  if (runtime === 'kernels' && classifier.forwardPass.kind !== 'wasm')
    throw new Error(`The WebAssembly pass did not start: ${classifier.forwardPass.note}`);
  // The inference worker fills the projection table in idle-time slices after a model loads.
  let fill: Setup['fill'] = null;
  if (runtime === 'kernels') {
    fill = { milliseconds: 0, slices: 0, longestSliceMs: 0 };
    for (let done = false; !done;) {
      const t0 = performance.now();
      done = classifier.projectAhead();
      const ms = performance.now() - t0;
      fill = {
        milliseconds: fill.milliseconds + ms,
        slices: fill.slices + 1,
        longestSliceMs: Math.max(fill.longestSliceMs, ms),
      };
    }
  }
  return {
    setupMs,
    fill,
    backend: runtime === 'kernels' ? 'WebAssembly SIMD kernels (ours)' : 'plain TypeScript (no tfjs)',
    renderer: null,
    predictor: {
      // The whole path the app runs per keystroke: tokenize, pad, forward pass (and the
      // word-by-word reading, which `probability-only` leaves out to show what it adds).
      predict: async (words) => {
        const text = words.join(' ');
        if (withWords) {
          const result = classifier.classify(text);
          return { ms: result.milliseconds, probability: result.probability! };
        }
        const t0 = performance.now();
        const probability = classifier.probabilityOfIds(classifier.read(text).ids);
        return { ms: performance.now() - t0, probability };
      },
    },
  };
}

async function tfjsPredictor(engine: 'wasm' | 'webgl'): Promise<Setup> {
  const info = await initBackend(engine);
  const started = performance.now();
  const model = buildSentimentModel(SHAPE);
  await model.getWeights()[2]!.data();
  const setupMs = performance.now() - started;
  const tokenizer = vocabularyTokenizer();
  return {
    setupMs,
    fill: null,
    backend: info.name,
    renderer: info.renderer,
    predictor: {
      // Tokenize and pad as the app would, then model.predict and read the number back.
      predict: async (words) => {
        const t0 = performance.now();
        const sequence = tokenizer.wordsToSequence(words);
        const row = new Int32Array(MAXLEN);
        row.set(sequence.slice(-MAXLEN), MAXLEN - Math.min(MAXLEN, sequence.length));
        const output = tf.tidy(() => model.predict(tf.tensor2d(row, [1, MAXLEN], 'int32')) as tf.Tensor);
        const probability = (await output.data())[0]!;
        output.dispose();
        return { ms: performance.now() - t0, probability };
      },
    },
  };
}

async function run(c: InferenceBenchCase): Promise<InferenceBenchResult> {
  const numTensorsBefore = tf.memory().numTensors;
  const setup =
    c.runtime === 'wasm' || c.runtime === 'webgl'
      ? await tfjsPredictor(c.runtime)
      : await classifierPredictor(c.runtime);
  const { predictor } = setup;
  const timings: LengthTiming[] = [];
  for (const words of BENCH_WORDS) {
    const fixed = reviewWords(words, words);
    const { probability } = await predictor.predict(fixed); // also the warm-up (shaders, JIT)
    await predictor.predict(reviewWords(words, 999));
    const cold: number[] = [];
    for (let i = 0; i < c.runs; i++) cold.push((await predictor.predict(reviewWords(words, 1000 + i))).ms);
    // Typing: the same review one word longer each time (keeping the length for the model).
    const typed = reviewWords(words, 7);
    const extra = reviewWords(c.runs, 8);
    const keystroke: number[] = [];
    for (let i = 0; i < c.runs; i++) {
      typed.push(extra[i]!);
      if (typed.length > words) typed.shift();
      keystroke.push((await predictor.predict(typed)).ms);
    }
    timings.push({ words, coldMs: median(cold), keystrokeMs: median(keystroke), probability });
  }
  return {
    case: c,
    backendInUse: setup.backend,
    renderer: setup.renderer,
    setupMs: setup.setupMs,
    fill: setup.fill,
    timings,
    numTensorsBefore,
    numTensorsAfter: tf.memory().numTensors,
    error: null,
  };
}

/** What the benchmark page calls, through the app's worker layer (src/workers/rpc.ts). */
export interface InferenceBenchApi {
  run(benchCase: InferenceBenchCase): Promise<InferenceBenchResult>;
}
serve<InferenceBenchApi>({ run });
