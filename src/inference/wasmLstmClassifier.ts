/**
 * The one-review forward pass on the WebAssembly kernels (src/model/wasm/assembly/classify.ts):
 * the Classify box's pass where WebAssembly SIMD is available, with the plain TypeScript pass
 * (lstmClassifier.ts) as the fallback. Float32, as tfjs computes; the weights are copied into a
 * memory of the classifier's own, laid out once for the model and never grown afterwards.
 */
import type { Architecture } from '../bundle/topology';
import {
  CLASSIFY_AHEAD,
  CLASSIFY_CHUNK,
  CLASSIFY_HEADER_SLOTS,
  C_BIAS,
  C_DENSE,
  C_DENSE_BIAS,
  C_EMB,
  C_EMBED,
  C_GATHER,
  C_GATHER_OUT,
  C_IDS,
  C_KERNEL,
  C_LOGITS,
  C_LOGIT_BEFORE,
  C_MASK_ZERO,
  C_MAXLEN,
  C_NEW_TOKENS,
  C_PAD_DONE,
  C_PAD_STATES,
  C_PANELS,
  C_PROJ,
  C_PROJECTED,
  C_STATE,
  C_UNITS,
  C_VOCAB,
  C_Z,
} from '../model/wasm/classifyLayout';
import { sigmoid, type ForwardPass, type WordStep } from './forwardPass';
import type { ClassifierParts } from './lstmClassifier';

/** The classifier's exports of the kernels' plain build (see assembly/classify.ts). */
interface ClassifyKernels {
  heapBase(): number;
  classifyRow(cfg: number, from: number, to: number, explain: number): number;
  classifyWarmUp(cfg: number, count: number): void;
  classifyProjectAhead(cfg: number, from: number, to: number, capacity: number): number;
}

const PAGE = 65536;
/** Above this the per-token projection table would cost more memory than the speed is worth. */
export const CLASSIFY_MEMORY_LIMIT = 1024 * 1024 * 1024;

const align = (bytes: number, to = 64) => Math.ceil(bytes / to) * to;

/** Byte offsets of every block, from `base` (the module's heap base), and the total size. */
function planLayout(architecture: Architecture, maxlen: number, base: number) {
  const { vocabularySize: V, embeddingDim: E, lstmUnits: H } = architecture;
  const G = 4 * H;
  const blocks: [slot: number, bytes: number][] = [
    [C_EMB, V * E * 4],
    [C_KERNEL, E * G * 4],
    [C_BIAS, G * 4],
    [C_PANELS, H * G * 4],
    [C_DENSE, H * 4],
    [C_PROJ, V * G * 4],
    [C_PROJECTED, V],
    [C_PAD_STATES, (maxlen + 1) * 2 * H * 4],
    [C_IDS, maxlen * 4],
    [C_LOGITS, maxlen * 4],
    [C_STATE, 2 * H * 4],
    [C_Z, G * 4],
    [C_NEW_TOKENS, Math.max(maxlen, CLASSIFY_AHEAD) * 4],
    [C_GATHER, CLASSIFY_CHUNK * E * 4],
    [C_GATHER_OUT, CLASSIFY_CHUNK * G * 4],
  ];
  const cfg = align(base);
  let at = align(cfg + CLASSIFY_HEADER_SLOTS * 4);
  const offsets = new Map<number, number>();
  for (const [slot, bytes] of blocks) {
    offsets.set(slot, at);
    at = align(at + bytes);
  }
  return { cfg, offsets, bytes: at };
}

/** Why these kernels cannot classify with this model (the plain pass then does); null when they can. */
export function wasmClassifierUnsupportedReason(architecture: Architecture, maxlen: number): string | null {
  const { embeddingDim: E, lstmUnits: H, recurrentActivation } = architecture;
  if (recurrentActivation !== 'sigmoid') return `its gates use ${recurrentActivation}, the kernels only sigmoid`;
  if (E % 4 !== 0 || H % 8 !== 0) return 'the kernels need an embedding size a multiple of 4 and units a multiple of 8';
  const { bytes } = planLayout(architecture, maxlen, 0);
  if (bytes > CLASSIFY_MEMORY_LIMIT)
    return `the model would need ${Math.ceil(bytes / 2 ** 20)} MB of WebAssembly memory (at most ${CLASSIFY_MEMORY_LIMIT / 2 ** 20})`;
  return null;
}

export class WasmLstmClassifier implements ForwardPass {
  readonly vocabularySize: number;
  private readonly kernels: ClassifyKernels;
  private readonly cfg: number;
  private readonly maxlen: number;
  private readonly maskZero: boolean;
  private readonly ids: Int32Array;
  private readonly logits: Float32Array;
  private readonly header: Float32Array;
  /** The first vocabulary row projectAhead has not reached. */
  private aheadFrom = 0;

  /**
   * Instantiates `module` (the kernels' plain build) over a new memory holding this model's
   * weights. Throws where the model does not fit the kernels (see wasmClassifierUnsupportedReason)
   * or the memory cannot be had.
   */
  constructor(module: WebAssembly.Module, { architecture, weights, offsets }: ClassifierParts, maxlen: number) {
    const unsupported = wasmClassifierUnsupportedReason(architecture, maxlen);
    if (unsupported) throw new Error(`The WebAssembly forward pass cannot run this model: ${unsupported}`);
    const { vocabularySize: V, embeddingDim: E, lstmUnits: H } = architecture;
    const G = 4 * H;
    const memory = new WebAssembly.Memory({ initial: 1 });
    this.kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as ClassifyKernels;
    const layout = planLayout(architecture, maxlen, this.kernels.heapBase());
    const have = memory.buffer.byteLength;
    if (have < layout.bytes) memory.grow(Math.ceil((layout.bytes - have) / PAGE));
    const buffer = memory.buffer;
    const at = (slot: number) => layout.offsets.get(slot)!;
    const floats = (slot: number, length: number) => new Float32Array(buffer, at(slot), length);
    const part = (i: number, length: number) => weights.subarray(offsets[i]!, offsets[i]! + length);

    const header = new Int32Array(buffer, layout.cfg, CLASSIFY_HEADER_SLOTS);
    header[C_VOCAB] = V;
    header[C_EMBED] = E;
    header[C_UNITS] = H;
    header[C_MAXLEN] = maxlen;
    header[C_MASK_ZERO] = architecture.maskZero ? 1 : 0;
    header[C_PAD_DONE] = 0;
    for (const [slot, offset] of layout.offsets) header[slot] = offset;
    // The f32 slots (from CLASSIFY_FLOAT_SLOTS on), over the same bytes.
    this.header = new Float32Array(buffer, layout.cfg, CLASSIFY_HEADER_SLOTS);
    this.header[C_DENSE_BIAS] = part(5, 1)[0]!;

    floats(C_EMB, V * E).set(part(0, V * E));
    floats(C_KERNEL, E * G).set(part(1, E * G));
    floats(C_BIAS, G).set(part(3, G));
    floats(C_DENSE, H).set(part(4, H));
    // U [H, 4H] into 32-column panels: panel p holds rows 0…H-1 of columns 32p…32p+31.
    const recurrent = part(2, H * G);
    const panels = floats(C_PANELS, H * G);
    for (let p = 0; p < G; p += 32)
      for (let k = 0; k < H; k++) panels.set(recurrent.subarray(k * G + p, k * G + p + 32), p * H + k * 32);

    this.vocabularySize = V;
    this.cfg = layout.cfg;
    this.maxlen = maxlen;
    this.maskZero = architecture.maskZero;
    this.ids = new Int32Array(buffer, at(C_IDS), maxlen);
    this.logits = floats(C_LOGITS, maxlen);
  }

  warmUp(maxlen: number): void {
    this.kernels.classifyWarmUp(this.cfg, Math.min(maxlen, this.maxlen));
  }

  /**
   * Projects the next CLASSIFY_AHEAD vocabulary rows not projected yet (about 1 ms at the default
   * sizes), so that once the whole table is filled a review never seen costs no more than a
   * keystroke. Returns true when every row is projected.
   */
  projectAhead(): boolean {
    if (this.aheadFrom < this.vocabularySize)
      this.aheadFrom = this.kernels.classifyProjectAhead(this.cfg, this.aheadFrom, this.vocabularySize, CLASSIFY_AHEAD);
    return this.aheadFrom >= this.vocabularySize;
  }

  probability(ids: ArrayLike<number>): number {
    return sigmoid(this.run(ids, false).logit);
  }

  explain(ids: ArrayLike<number>): { probability: number; steps: WordStep[]; logitBefore: number } {
    const { logit, from } = this.run(ids, true);
    const steps: WordStep[] = [];
    for (let t = from; t < ids.length; t++) {
      const id = ids[t]!;
      if (id === 0) continue;
      const stepLogit = this.logits[t]!;
      steps.push({ position: t, id, logit: stepLogit, probability: sigmoid(stepLogit) });
    }
    return { probability: sigmoid(logit), steps, logitBefore: this.header[C_LOGIT_BEFORE]! };
  }

  /** Writes the row into the kernels' memory (checking every id) and reads it. */
  private run(ids: ArrayLike<number>, explain: boolean): { logit: number; from: number } {
    if (ids.length > this.maxlen)
      throw new RangeError(`A row of ${ids.length} ids is longer than the model's maxlen (${this.maxlen})`);
    const V = this.vocabularySize;
    for (let t = 0; t < ids.length; t++) {
      const id = ids[t]!;
      if (!Number.isInteger(id) || id < 0 || id >= V)
        throw new RangeError(`Token id ${id} is outside the Embedding's 0…${V - 1}`);
      this.ids[t] = id;
    }
    let from = 0;
    // Leading padding comes from the kept padding states (masked padding is skipped by the kernel).
    if (!this.maskZero) while (from < ids.length && ids[from] === 0) from++;
    const logit = this.kernels.classifyRow(this.cfg, from, ids.length, explain ? 1 : 0);
    return { logit, from };
  }
}
