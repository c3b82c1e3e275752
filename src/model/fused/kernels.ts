import * as tf from '@tensorflow/tfjs';
import type { GPGPUProgram, MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import {
  cellBackwardProgram,
  cellProgram,
  gatesProgram,
  gatherRowsProgram,
  packedCopyProgram,
  scatterRowsProgram,
  stackProgram,
  stepProgram,
  weightGradProgram,
  recurrentBackwardProgram,
} from './programs';

/**
 * The fused LSTM's shader programs as tfjs kernels on the webgl backend. Going through the kernel
 * registry (rather than calling the backend directly) puts each dispatch in tfjs's profiler and
 * its tensors under tfjs's memory accounting, like any stock op.
 */
export const KERNELS = {
  gates: 'SentimentLabLstmGates',
  cell: 'SentimentLabLstmCell',
  cellBackward: 'SentimentLabLstmCellBackward',
  recurrentBackward: 'SentimentLabLstmRecurrentBackward',
  packedCopy: 'SentimentLabPackedCopy',
  step: 'SentimentLabLstmStep',
  weightGrad: 'SentimentLabLstmWeightGrad',
  stack: 'SentimentLabStack',
  scatterRows: 'SentimentLabScatterRows',
  gatherRows: 'SentimentLabGatherRows',
} as const;

type KernelName = (typeof KERNELS)[keyof typeof KERNELS];

/** tfjs's packed textures for a 2-D tensor: texel (c, r) holds the 2×2 block at (2r, 2c). */
function assertPlainLayout(backend: MathBackendWebGL, tensor: tf.TensorInfo, name: string): void {
  const data = backend.texData.get(tensor.dataId);
  const [rows, cols] = tensor.shape;
  const shape = data.texShape;
  // The inner loops address these textures directly; a tensor tfjs stored another way (too large
  // for one texture row, or not yet on the GPU) would be read wrongly, so refuse it loudly.
  const texels = (n: number) => Math.ceil(n / 2);
  if (!data.isPacked || !shape || texels(shape[0]) !== texels(rows!) || texels(shape[1]) !== texels(cols!))
    throw new Error(
      `Fused LSTM: ${name} ${JSON.stringify(tensor.shape)} is not a packed 2-D texture ` +
        `(texture ${JSON.stringify(shape)}, packed ${String(data.isPacked)})`,
    );
}

function run(
  backend: MathBackendWebGL,
  program: GPGPUProgram,
  inputs: tf.TensorInfo[],
  uniforms?: number[][],
): tf.TensorInfo {
  return backend.runWebGLProgram(program, inputs, 'float32', uniforms, true);
}

type Inputs = tf.NamedTensorInfoMap;

function unitsOf(attrs: tf.NamedAttrMap): number {
  return attrs['units'] as number;
}

/** The gates program and the inference step read the same inputs for one timestep `attrs.step`. */
function runTimestep(
  program: (batch: number, units: number) => GPGPUProgram,
  inputs: Inputs,
  backend: MathBackendWebGL,
  attrs: tf.NamedAttrMap,
): tf.TensorInfo {
  const { projected, bias, state, recurrentT } = inputs as Record<string, tf.TensorInfo>;
  assertPlainLayout(backend, state!, 'state');
  assertPlainLayout(backend, recurrentT!, 'transposed recurrent kernel');
  const batch = projected!.shape[1]!;
  return run(
    backend,
    program(batch, unitsOf(attrs)),
    [projected!, bias!, state!, recurrentT!],
    [[attrs['step'] as number]],
  );
}

/** Inputs `${prefix}0`, `${prefix}1`, … in order. */
function numbered(inputs: Inputs, prefix: string): tf.TensorInfo[] {
  const found: tf.TensorInfo[] = [];
  for (let i = 0; inputs[`${prefix}${i}`]; i++) found.push(inputs[`${prefix}${i}`]!);
  return found;
}

const kernelFunctions: Record<
  KernelName,
  (inputs: Inputs, backend: MathBackendWebGL, attrs: tf.NamedAttrMap) => tf.TensorInfo
> = {
  [KERNELS.gates]: (inputs, backend, attrs) => runTimestep(gatesProgram, inputs, backend, attrs),
  [KERNELS.cell]: (inputs, backend, attrs) => {
    const { gates, previous } = inputs as Record<string, tf.TensorInfo>;
    return run(backend, cellProgram(gates!.shape[0]!, unitsOf(attrs)), [gates!, previous!]);
  },
  [KERNELS.cellBackward]: (inputs, backend, attrs) => {
    const { record, previous, dh, next } = inputs as Record<string, tf.TensorInfo>;
    return run(backend, cellBackwardProgram(record!.shape[0]!, unitsOf(attrs)), [record!, previous!, dh!, next!]);
  },
  [KERNELS.weightGrad]: (inputs, backend, attrs) => {
    const chunks = numbered(inputs, 'h').length;
    const hs = numbered(inputs, 'h');
    const dzs = numbered(inputs, 'dz');
    hs.forEach((h, c) => assertPlainLayout(backend, h, `transposed states of chunk ${c}`));
    dzs.forEach((dz, c) => assertPlainLayout(backend, dz, `transposed gate gradients of chunk ${c}`));
    const rows = hs.map((h) => h.shape[1]!);
    const interleaved = Array.from({ length: chunks }, (_, c) => [hs[c]!, dzs[c]!]).flat();
    return run(backend, weightGradProgram(rows, unitsOf(attrs)), [inputs['sums']!, ...interleaved]);
  },
  [KERNELS.scatterRows]: (inputs, backend, attrs) => {
    const grads = numbered(inputs, 'grads');
    grads.forEach((g, c) => assertPlainLayout(backend, g, `stacked gradient of chunk ${c}`));
    const { offsets, order, sums } = inputs as Record<string, tf.TensorInfo | undefined>;
    const program = scatterRowsProgram(
      attrs['rows'] as number,
      grads[0]!.shape[1]!,
      attrs['chunkRows'] as number,
      grads.length,
      sums !== undefined,
    );
    return run(backend, program, [offsets!, order!, ...(sums ? [sums] : []), ...grads]);
  },
  [KERNELS.gatherRows]: (inputs, backend) => {
    const { table, rows } = inputs as Record<string, tf.TensorInfo>;
    assertPlainLayout(backend, table!, 'table');
    assertPlainLayout(backend, rows!, 'row index');
    return run(backend, gatherRowsProgram(rows!.shape[1]!, table!.shape[1]!), [table!, rows!]);
  },
  [KERNELS.stack]: (inputs, backend, attrs) => {
    const parts = numbered(inputs, 'part');
    const maxTextures = tf.env().getNumber('WEBGL_MAX_TEXTURES_IN_SHADER');
    if (parts.length > maxTextures)
      throw new Error(`Fused LSTM: cannot stack ${parts.length} steps in one shader (at most ${maxTextures})`);
    parts.forEach((part, i) => assertPlainLayout(backend, part, `stacked part ${i}`));
    const batch = parts[0]!.shape[0]!;
    const program = stackProgram(
      parts.length,
      batch,
      attrs['columnFrom'] as number,
      attrs['columns'] as number,
      attrs['transposed'] as boolean,
    );
    return run(backend, program, parts);
  },
  [KERNELS.step]: (inputs, backend, attrs) => runTimestep(stepProgram, inputs, backend, attrs),
  [KERNELS.packedCopy]: (inputs, backend) => {
    const { source } = inputs as Record<string, tf.TensorInfo>;
    const [rows, cols] = source!.shape as [number, number];
    return run(backend, packedCopyProgram([rows, cols]), [source!]);
  },
  [KERNELS.recurrentBackward]: (inputs, backend, attrs) => {
    const { cellGrad, recurrent } = inputs as Record<string, tf.TensorInfo>;
    assertPlainLayout(backend, cellGrad!, 'cell gradient');
    assertPlainLayout(backend, recurrent!, 'recurrent kernel');
    return run(backend, recurrentBackwardProgram(cellGrad!.shape[0]!, unitsOf(attrs)), [cellGrad!, recurrent!]);
  },
};

/** Registers the kernels on the webgl backend (once). */
export function registerFusedKernels(): void {
  for (const [kernelName, kernel] of Object.entries(kernelFunctions)) {
    if (tf.getKernel(kernelName, 'webgl')) continue;
    tf.registerKernel({
      kernelName,
      backendName: 'webgl',
      kernelFunc: ({ inputs, backend, attrs }) => kernel(inputs, backend as MathBackendWebGL, attrs ?? {}),
    });
  }
}

/**
 * The tensor in tfjs's packed layout. Our programs take packed inputs and tfjs would otherwise
 * pack an unpacked input again on every dispatch that reads it (e.g. a gather's output, read by
 * every timestep of its chunk). Call inside a tidy: returns the input itself when already packed.
 */
export function ensurePacked<T extends tf.Tensor>(tensor: T): T {
  const backend = tf.backend() as MathBackendWebGL;
  if (backend.texData.get(tensor.dataId).isPacked) return tensor;
  const shape = tensor.shape;
  const cols = shape.at(-1) ?? 1;
  const matrix = tf.reshape(tensor, [tensor.size / cols, cols]);
  return tf.reshape(runFusedKernel(KERNELS.packedCopy, { source: matrix }, {}), shape) as T;
}

export function runFusedKernel(kernel: KernelName, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap): tf.Tensor {
  return tf.engine().runKernel(kernel, inputs, attrs) as tf.Tensor;
}
