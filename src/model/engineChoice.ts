import * as tf from '@tensorflow/tfjs';
import type { EngineName, TrainingSettings } from '../training/settings';
import { stockEngine, type ModelEngine } from './engine';
import { fusedEngine, fusedEngineUnsupportedReason } from './fused/fusedEngine';
import type { BatchRunner } from '../training/trainer';
import { layersRunner } from './runner';
import { binaryCrossentropy } from './loss';
import type { StartHelpers, ThreadPlan } from './wasm/threads';
import { createWasmRun, wasmUnsupportedReason, type WasmRun } from './wasm/wasmRunner';

/** The engines that compute tfjs's layers model's forward pass (and so train through tfjs). */
export type LayersEngineName = 'fused' | 'stock';

export interface EngineChoice {
  engine: ModelEngine;
  /** Why the requested engine could not be used, when it was replaced by stock. */
  fallbackReason: string | null;
}

/** The requested engine if it can run this model on the current backend, otherwise stock. */
export function chooseEngine(name: LayersEngineName, model: tf.LayersModel): EngineChoice {
  switch (name) {
    case 'stock':
      return { engine: stockEngine, fallbackReason: null };
    case 'fused': {
      const unsupported = fusedEngineUnsupportedReason(model);
      return unsupported
        ? { engine: stockEngine, fallbackReason: unsupported }
        : { engine: fusedEngine, fallbackReason: null };
    }
  }
}

export interface RunnerChoice {
  runner: BatchRunner;
  /** The engine that actually runs. */
  engine: Exclude<EngineName, 'auto'>;
  /** Why this engine runs: auto's choice (with its calibration figures) or why the request fell back. */
  note: string | null;
  /** CPU threads the engine splits each step over (the WebAssembly engine); null for the tfjs engines. */
  threads: number | null;
  /** Puts the run's weights into the layers model (the WebAssembly engine keeps them in its memory). */
  finish(): void;
  /** Frees what the engine holds beyond the model (the WebAssembly engine's threads), after the run's last prediction. */
  release(): void;
}

export interface RunnerRequest {
  settings: Pick<
    TrainingSettings,
    'engine' | 'optimizer' | 'learningRate' | 'batchSize' | 'embeddingDim' | 'lstmUnits' | 'dropout'
  >;
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  maxlen: number;
  /** The backend tfjs runs on: auto takes WebAssembly where WebGL is software-rendered or missing. */
  backend: { name: string; renderer: string | null; softwareRendered: boolean };
  /** A batch of the run's training data, for auto's calibration on a real GPU (nothing is updated). */
  calibrationBatch: { ids: Int32Array; labels: Float32Array };
  /** The WebAssembly kernels: the plain build, or (`threads`) the one over shared memory. */
  compileWasm: (threads: boolean) => Promise<WebAssembly.Module>;
  /** How many threads the WebAssembly engine may use here and how to start its helpers; absent: one. */
  wasmThreads?: { plan: ThreadPlan; start: StartHelpers };
  /** Makes the WebAssembly engine's memory; absent: a fresh WebAssembly.Memory (see createWasmRun). */
  wasmMemory?: (shared: boolean) => WebAssembly.Memory;
}

const CALIBRATION_BATCHES = 2;

const layersChoice = (request: RunnerRequest, name: LayersEngineName, note: string | null): RunnerChoice => {
  const { model, optimizer, maxlen } = request;
  const choice = chooseEngine(name, model);
  return {
    runner: layersRunner({ model, engine: choice.engine, optimizer, maxlen }),
    engine: choice.engine.name as LayersEngineName,
    note: [note, choice.fallbackReason].filter(Boolean).join('; ') || null,
    threads: null,
    finish: () => {},
    release: () => {},
  };
};

async function startWasm(request: RunnerRequest): Promise<WasmRun | string> {
  const { settings, model, maxlen } = request;
  const unsupported = wasmUnsupportedReason(settings);
  if (unsupported) return unsupported;
  try {
    return await createWasmRun({
      compile: request.compileWasm,
      threads: request.wasmThreads,
      createMemory: request.wasmMemory,
      model,
      maxlen,
      batchSize: settings.batchSize,
      optimizer: settings.optimizer,
      learningRate: settings.learningRate,
    });
  } catch (error) {
    return `the WebAssembly engine could not start (${error instanceof Error ? error.message : String(error)})`;
  }
}

/** The faster of several timings of one batch (the first may compile shaders). */
async function fastestMs(run: () => Promise<number> | number): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < CALIBRATION_BATCHES; i++) best = Math.min(best, await run());
  return best;
}

/** One forward and backward pass of the layers model through `engine`, no update: milliseconds. */
async function timeLayersBatch(request: RunnerRequest, engine: ModelEngine): Promise<number> {
  const { model, maxlen, calibrationBatch } = request;
  const rows = calibrationBatch.labels.length;
  const started = performance.now();
  const ids = tf.tensor2d(calibrationBatch.ids, [rows, maxlen], 'int32');
  const labels = tf.tensor2d(calibrationBatch.labels, [rows, 1]);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(
    () => binaryCrossentropy(labels, engine.predict(model, ids, true)),
    variables,
  );
  await value.data();
  tf.dispose([ids, labels, value, ...Object.values(grads)]);
  return performance.now() - started;
}

const examplesPerSecond = (rows: number, ms: number) => ((rows / ms) * 1000).toFixed(1);

/**
 * How a run trains. `wasm`: the whole step in WebAssembly; `fused`/`stock`: tfjs's layers model with
 * that engine. `auto`: WebAssembly where WebGL is software-rendered or missing; on a real GPU, the
 * faster of fused and WebAssembly on two calibration batches. Whatever cannot run falls back, and
 * the note says why.
 */
export async function chooseRunner(request: RunnerRequest): Promise<RunnerChoice> {
  const { settings, backend } = request;
  if (settings.engine === 'fused' || settings.engine === 'stock') return layersChoice(request, settings.engine, null);
  const wasm = await startWasm(request);
  const wasmChoice = (run: WasmRun, note: string | null): RunnerChoice => ({
    runner: run.runner,
    engine: 'wasm',
    note: [note, request.wasmThreads?.plan.note].filter(Boolean).join('; ') || null,
    threads: run.threads,
    finish: run.finish,
    release: run.release,
  });
  if (settings.engine === 'wasm')
    return typeof wasm === 'string' ? layersChoice(request, 'stock', wasm) : wasmChoice(wasm, null);

  // auto
  const gpu = backend.name === 'webgl' && !backend.softwareRendered;
  if (typeof wasm === 'string') return layersChoice(request, gpu ? 'fused' : 'stock', `auto: ${wasm}`);
  if (!gpu) {
    const where =
      backend.name === 'webgl'
        ? `WebGL here is software-rendered (${backend.renderer ?? 'unknown renderer'})`
        : `there is no WebGL here (tfjs runs on ${backend.name})`;
    return wasmChoice(wasm, `auto: the WebAssembly engine, because ${where}`);
  }
  const fusedUnsupported = fusedEngineUnsupportedReason(request.model);
  if (fusedUnsupported) return wasmChoice(wasm, `auto: the WebAssembly engine (${fusedUnsupported})`);
  const { ids, labels } = request.calibrationBatch;
  let wasmMs: number;
  let fusedMs: number;
  try {
    wasmMs = await fastestMs(() => wasm.timeBatch(ids, labels));
    fusedMs = await fastestMs(() => timeLayersBatch(request, fusedEngine));
  } catch (error) {
    wasm.release(); // a calibration that failed leaves no helper thread running
    throw error;
  }
  const figures = `calibration on this GPU, forward and backward of a batch: fused ${examplesPerSecond(labels.length, fusedMs)} examples/s, WebAssembly ${examplesPerSecond(labels.length, wasmMs)}`;
  if (wasmMs <= fusedMs) return wasmChoice(wasm, `auto: the WebAssembly engine (${figures})`);
  // The calibration's WebAssembly run is not used: its helper threads end now.
  wasm.release();
  return layersChoice(request, 'fused', `auto: the fused WebGL engine (${figures})`);
}
