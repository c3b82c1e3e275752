/**
 * What a run's engine holds between steps, as plain arrays: the weights (in `model.getWeights()`
 * order) and the optimizer's state. A checkpoint stores it; restoring it into a fresh runner of the
 * same engine and model continues the run exactly where it was.
 */
export interface TfjsOptimizerState {
  engine: 'tfjs';
  /** tfjs's `optimizer.getWeights()`: the step count, then each slot variable in its order. */
  iterations: number;
  slots: { name: string; shape: number[]; values: Float32Array }[];
  /** Adam's β₁ᵗ and β₂ᵗ as it accumulated them (its setWeights would recompute them with pow, a few ulps off). */
  adamPowers?: [number, number];
}

export interface WasmOptimizerState {
  engine: 'wasm';
  /** The accumulators of the WebAssembly engine (RMSprop's mean squares and moments, Adam's m and v). */
  s1Dense: Float32Array;
  s2Dense: Float32Array;
  s1Embeddings: Float32Array;
  s2Embeddings: Float32Array;
  /** Adam's β₁ᵗ and β₂ᵗ (float32, as tfjs keeps them). */
  accBeta1: number;
  accBeta2: number;
}

export type OptimizerState = TfjsOptimizerState | WasmOptimizerState;

export interface RunnerState {
  weights: Float32Array[];
  optimizer: OptimizerState;
}
