import type * as tf from '@tensorflow/tfjs';
import type { EngineName, TrainingSettings } from '../training/settings';
import { stockEngine, type ModelEngine } from './engine';
import { fusedEngine, fusedEngineUnsupportedReason } from './fused/fusedEngine';
import { layersRunner, type BatchRunner } from './trainer';
import { createWasmRun, wasmUnsupportedReason } from './wasm/wasmRunner';

/** The engines that compute tfjs's layers model's forward pass (and so train through tfjs). */
export type LayersEngineName = Exclude<EngineName, 'wasm'>;

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
  engine: EngineName;
  fallbackReason: string | null;
  /** Puts the run's weights into the layers model (the WebAssembly engine keeps them in its memory). */
  finish(): void;
}

/**
 * How a run trains: the WebAssembly engine when asked for and able (the whole step in WebAssembly),
 * otherwise tfjs's layers model with the requested layers engine (or stock). `compileWasm` loads the
 * kernels (the worker fetches them; a failure, e.g. no WebAssembly SIMD, falls back with its reason).
 */
export async function chooseRunner(args: {
  settings: Pick<
    TrainingSettings,
    'engine' | 'optimizer' | 'learningRate' | 'batchSize' | 'embeddingDim' | 'lstmUnits' | 'dropout'
  >;
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  maxlen: number;
  compileWasm: () => Promise<WebAssembly.Module>;
}): Promise<RunnerChoice> {
  const { settings, model, optimizer, maxlen } = args;
  let fallbackReason: string | null = null;
  if (settings.engine === 'wasm') {
    fallbackReason = wasmUnsupportedReason(settings);
    if (!fallbackReason) {
      try {
        const run = await createWasmRun({
          module: await args.compileWasm(),
          model,
          maxlen,
          batchSize: settings.batchSize,
          optimizer: settings.optimizer,
          learningRate: settings.learningRate,
        });
        return { runner: run.runner, engine: 'wasm', fallbackReason: null, finish: run.finish };
      } catch (error) {
        fallbackReason = `the WebAssembly engine could not start (${error instanceof Error ? error.message : String(error)})`;
      }
    }
  }
  const choice = chooseEngine(settings.engine === 'wasm' ? 'stock' : settings.engine, model);
  return {
    runner: layersRunner({ model, engine: choice.engine, optimizer, maxlen }),
    engine: choice.engine.name,
    fallbackReason: fallbackReason ?? choice.fallbackReason,
    finish: () => {},
  };
}
