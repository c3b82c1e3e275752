/**
 * The forward pass of Embedding → LSTM → Dense(1, sigmoid) for one review, in plain TypeScript.
 * tfjs is far slower for one review (each timestep is a dozen tiny kernel launches; the figures are in
 * docs/benchmarks.md, from `npm run bench:inference`); a single review needs no parallel hardware.
 *
 * Same maths as tfjs/Keras: z = x·W + h·U + b split into gates i, f, c, o;
 * c' = σ(f)·c + σ(i)·tanh(g); h' = σ(o)·tanh(c'); p = sigmoid(h·w + b). Computed in float64
 * (tfjs computes in float32; the results agree to ~1e-7).
 *
 * Two exact shortcuts: each token's input projection x·W + b is computed once and cached, and the
 * state after k leading padding steps (all the same input, id 0) is cached for every k, so a short
 * pre-padded review only runs its own words through the recurrence.
 */
import type { Architecture } from '../bundle/topology';
import { sigmoid, type ForwardPass, type WordStep } from './forwardPass';

export type { WordStep } from './forwardPass';

export interface ClassifierParts {
  architecture: Architecture;
  /** The weights in manifest order (embeddings, kernel, recurrent kernel, bias, dense kernel, dense bias). */
  weights: Float32Array;
  offsets: readonly number[];
}

const hardSigmoid = (x: number) => Math.min(1, Math.max(0, 0.2 * x + 0.5));

export class LstmClassifier implements ForwardPass {
  readonly vocabularySize: number;
  private readonly embeddingDim: number;
  private readonly units: number;
  private readonly embeddings: Float32Array;
  private readonly kernel: Float64Array;
  private readonly recurrent: Float64Array;
  private readonly bias: Float64Array;
  private readonly denseKernel: Float64Array;
  private readonly denseBias: number;
  private readonly gate: (x: number) => number;
  private readonly maskZero: boolean;
  private readonly projections = new Map<number, Float64Array>();
  /** padStates[k]: [h, c] after k leading padding steps. */
  private readonly padStates: Float64Array[] = [];
  private readonly z: Float64Array;

  constructor({ architecture, weights, offsets }: ClassifierParts) {
    const { vocabularySize: V, embeddingDim: E, lstmUnits: H } = architecture;
    const G = 4 * H;
    const part = (i: number, length: number) => weights.subarray(offsets[i]!, offsets[i]! + length);
    this.vocabularySize = V;
    this.embeddingDim = E;
    this.units = H;
    this.embeddings = part(0, V * E);
    this.kernel = Float64Array.from(part(1, E * G));
    this.recurrent = Float64Array.from(part(2, H * G));
    this.bias = Float64Array.from(part(3, G));
    this.denseKernel = Float64Array.from(part(4, H));
    this.denseBias = part(5, 1)[0]!;
    this.gate = architecture.recurrentActivation === 'sigmoid' ? sigmoid : hardSigmoid;
    this.maskZero = architecture.maskZero;
    this.z = new Float64Array(G);
    this.padStates.push(new Float64Array(2 * H));
  }

  /** x·W + b for one token id (cached). */
  private projection(id: number): Float64Array {
    let p = this.projections.get(id);
    if (p) return p;
    if (!Number.isInteger(id) || id < 0 || id >= this.vocabularySize) {
      throw new RangeError(`Token id ${id} is outside the Embedding's 0…${this.vocabularySize - 1}`);
    }
    const E = this.embeddingDim;
    const G = 4 * this.units;
    p = Float64Array.from(this.bias);
    const row = id * E;
    const W = this.kernel;
    const x = this.embeddings;
    let e = 0;
    for (; e + 4 <= E; e += 4) {
      const x0 = x[row + e]!;
      const x1 = x[row + e + 1]!;
      const x2 = x[row + e + 2]!;
      const x3 = x[row + e + 3]!;
      const b0 = e * G;
      const b1 = b0 + G;
      const b2 = b1 + G;
      const b3 = b2 + G;
      for (let j = 0; j < G; j++) p[j]! += x0 * W[b0 + j]! + x1 * W[b1 + j]! + x2 * W[b2 + j]! + x3 * W[b3 + j]!;
    }
    for (; e < E; e++) {
      const xe = x[row + e]!;
      const base = e * G;
      for (let j = 0; j < G; j++) p[j]! += xe * W[base + j]!;
    }
    this.projections.set(id, p);
    return p;
  }

  /** One LSTM step on `state` ([h, c]) in place. */
  private step(state: Float64Array, input: Float64Array): void {
    const H = this.units;
    const G = 4 * H;
    const z = this.z;
    const U = this.recurrent;
    z.set(input);
    // h·U, four rows of U per pass over z (a quarter of the loads and stores of z).
    let k = 0;
    for (; k + 4 <= H; k += 4) {
      const h0 = state[k]!;
      const h1 = state[k + 1]!;
      const h2 = state[k + 2]!;
      const h3 = state[k + 3]!;
      const b0 = k * G;
      const b1 = b0 + G;
      const b2 = b1 + G;
      const b3 = b2 + G;
      for (let j = 0; j < G; j++) z[j]! += h0 * U[b0 + j]! + h1 * U[b1 + j]! + h2 * U[b2 + j]! + h3 * U[b3 + j]!;
    }
    for (; k < H; k++) {
      const hk = state[k]!;
      const base = k * G;
      for (let j = 0; j < G; j++) z[j]! += hk * U[base + j]!;
    }
    const gate = this.gate;
    for (let j = 0; j < H; j++) {
      const i = gate(z[j]!);
      const f = gate(z[H + j]!);
      const g = Math.tanh(z[2 * H + j]!);
      const o = gate(z[3 * H + j]!);
      const c = f * state[H + j]! + i * g;
      state[H + j] = c;
      state[j] = o * Math.tanh(c);
    }
  }

  /** The state after `count` leading padding steps. */
  private stateAfterPadding(count: number): Float64Array {
    const pad = this.projection(0);
    while (this.padStates.length <= count) {
      const next = Float64Array.from(this.padStates[this.padStates.length - 1]!);
      this.step(next, pad);
      this.padStates.push(next);
    }
    return this.padStates[count]!;
  }

  /** Computes the padding states up front, so the first classification is as fast as the next. */
  warmUp(maxlen: number): void {
    if (!this.maskZero) this.stateAfterPadding(maxlen);
  }

  /** Nothing to fill ahead: the plain pass projects each token on first use (a table in float64 would be 2x the kernels'). */
  projectAhead(): boolean {
    return true;
  }

  /** P(positive) for one padded row of token ids. */
  probability(ids: ArrayLike<number>): number {
    return this.run(ids, null);
  }

  /**
   * P(positive) for one padded row, and the model's reading word by word: after each word (each
   * non-padding id, in order) the Dense head applied to that step's hidden state, as if the review
   * ended there. Costs one H-long dot product per word on top of the prediction.
   */
  explain(ids: ArrayLike<number>): { probability: number; steps: WordStep[]; logitBefore: number } {
    const steps: WordStep[] = [];
    let logitBefore = Number.NaN;
    const probability = this.run(ids, (position, id, state, first) => {
      if (first) logitBefore = this.logit(state);
      if (id === 0) return;
      const logit = this.logit(state);
      steps.push({ position, id, logit, probability: sigmoid(logit) });
    });
    return { probability, steps, logitBefore };
  }

  private logit(state: Float64Array): number {
    let logit = this.denseBias;
    for (let j = 0; j < this.units; j++) logit += state[j]! * this.denseKernel[j]!;
    return logit;
  }

  /**
   * The forward pass; `observe` sees the state before the first step it runs (`first`) and after
   * every step from there on (with the position and id just read).
   */
  private run(
    ids: ArrayLike<number>,
    observe: ((position: number, id: number, state: Float64Array, first: boolean) => void) | null,
  ): number {
    let state: Float64Array;
    let t = 0;
    if (this.maskZero) {
      // Masked steps (id 0) carry the state over unchanged, as Keras and tfjs do.
      state = new Float64Array(2 * this.units);
    } else {
      while (t < ids.length && ids[t] === 0) t++;
      state = Float64Array.from(this.stateAfterPadding(t));
    }
    observe?.(t - 1, 0, state, true);
    for (; t < ids.length; t++) {
      const id = ids[t]!;
      if (id === 0 && this.maskZero) continue;
      this.step(state, this.projection(id));
      observe?.(t, id, state, false);
    }
    return sigmoid(this.logit(state));
  }
}
