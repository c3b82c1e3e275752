import type * as tf from '@tensorflow/tfjs';
import type { EngineName } from '../training/settings';
import { stockEngine, type ModelEngine } from './engine';
import { fusedEngine, fusedEngineUnsupportedReason } from './fused/fusedEngine';

export interface EngineChoice {
  engine: ModelEngine;
  /** Why the requested engine could not be used, when it was replaced by stock. */
  fallbackReason: string | null;
}

/** The requested engine if it can run this model on the current backend, otherwise stock. */
export function chooseEngine(name: EngineName, model: tf.LayersModel): EngineChoice {
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
