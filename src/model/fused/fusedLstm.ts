import * as tf from '@tensorflow/tfjs';
import { ensurePacked, KERNELS, registerFusedKernels, runFusedKernel } from './kernels';
import { INDEX_TEXTURE_WIDTH } from './programs';
import { buildRowIndex } from './rowIndex';

/**
 * The LSTM recurrence on the webgl backend: two shader dispatches per timestep forward and two
 * backward when training (one per timestep for inference), instead of tfjs's loop of ~98 small
 * ops per step. The inputs come already projected (x·W, by ordinary tfjs ops that tfjs
 * differentiates): per position in time chunks, or as a table of distinct-token rows plus the row
 * each position reads. This module owns the recurrence and writes its gradient out.
 *
 * Time is cut into chunks (at most WEBGL_MAX_TEXTURES_IN_SHADER steps, and T·B ≤ 8192 rows): tfjs
 * 4.22 stores larger matrices in a squarified texture, and on those we measured wrong results from
 * `sum` over rows and from a transposed matmul at B=128, L=200; chunks keep every tensor in tfjs's
 * plain layout, which the programs' direct texel reads rely on.
 */

/**
 * Timesteps per chunk for this batch size: a chunk's stacked rows must fit one texture, and the
 * backward pass stacks a chunk's per-step tensors in one shader, which can read at most
 * WEBGL_MAX_TEXTURES_IN_SHADER textures.
 */
export function chunkLength(steps: number, batch: number): number {
  const maxRows = tf.env().getNumber('WEBGL_MAX_TEXTURE_SIZE');
  const maxTextures = tf.env().getNumber('WEBGL_MAX_TEXTURES_IN_SHADER');
  return Math.max(1, Math.min(steps, maxTextures, Math.floor(maxRows / (2 * Math.ceil(batch / 2)))));
}

/**
 * x·W for every timestep, time-major: `inputs` `[L, B, E]`, `kernel` `[E, 4H]` → chunks
 * `[T, B, 4H]` covering the L timesteps in order.
 */
export function projectInputs(inputs: tf.Tensor3D, kernel: tf.Tensor2D): tf.Tensor3D[] {
  const [steps, batch, inputDim] = inputs.shape;
  const width = kernel.shape[1];
  const length = chunkLength(steps, batch);
  const sizes: number[] = [];
  for (let from = 0; from < steps; from += length) sizes.push(Math.min(length, steps - from));
  const parts = sizes.length === 1 ? [inputs] : tf.split(inputs, sizes, 0);
  return parts.map(
    (part, i) =>
      tf.reshape(tf.matMul(tf.reshape(part, [sizes[i]! * batch, inputDim]), kernel), [
        sizes[i]!,
        batch,
        width,
      ]) as tf.Tensor3D,
  );
}

/**
 * The last hidden state `[B, H]` (the layer's output with `returnSequences: false`), differentiable
 * with respect to the projected chunks, the bias `[4H]` and the recurrent kernel `[H, 4H]`.
 */
export function fusedLstmLastState(projected: tf.Tensor3D[], bias: tf.Tensor1D, recurrent: tf.Tensor2D): tf.Tensor2D {
  registerFusedKernels();
  return withEvenBatch(projected, (even) =>
    trainableLastState(
      {
        tensors: even,
        chunks: (tensors) => tensors as tf.Tensor3D[],
        gradients: (stacks) => stacks.map((rows, c) => tf.reshape(rows, even[c]!.shape)),
      },
      bias,
      recurrent,
    ),
  );
}

/**
 * The same, with the projected input of each position taken from a table of rows: position
 * (t, b) reads row `rowOfPosition[t·B + b]` of `table` `[D, 4H]` (x·W for each distinct token of
 * the batch). Differentiable with respect to the table, whose gradient (each row's positions'
 * gradients added up) is one shader pass over the stacked gradients instead of tfjs's gather
 * gradient, which reads every position's gradient back to the CPU.
 */
export function fusedLstmLastStateFromRows(
  table: tf.Tensor2D,
  rowOfPosition: Int32Array,
  batch: number,
  bias: tf.Tensor1D,
  recurrent: tf.Tensor2D,
): tf.Tensor2D {
  registerFusedKernels();
  const { steps, even, rows } = evenRowIndex(rowOfPosition, batch);
  const length = chunkLength(steps, even);
  const state = trainableLastState(
    {
      tensors: [table],
      chunks: ([source]) => gatherChunks(source as tf.Tensor2D, rows, even, length),
      gradients: (stacks) => [scatterRows(stacks, rows, table.shape[0], length * even)],
    },
    bias,
    recurrent,
  );
  if (batch === even) return state;
  return tf.tidy(() => {
    const sliced = tf.slice(state, [0, 0], [batch, state.shape[1]]) as tf.Tensor2D;
    state.dispose();
    return sliced;
  });
}

/**
 * The programs read and write 2×2 blocks of (batch row, column); with an odd batch a zero row is
 * added (its state is computed and dropped, and gets no gradient), so that no block straddles two
 * timesteps when a chunk's steps are stacked.
 */
function withEvenBatch(projected: tf.Tensor3D[], run: (even: tf.Tensor3D[]) => tf.Tensor2D): tf.Tensor2D {
  const batch = projected[0]?.shape[1];
  if (batch === undefined || batch % 2 === 0) return run(projected);
  return tf.tidy(() => {
    const padded = projected.map((chunk) =>
      tf.pad(chunk, [
        [0, 0],
        [0, 1],
        [0, 0],
      ]),
    );
    const state = run(padded);
    return tf.slice(state, [0, 0], [batch, state.shape[1]]);
  });
}

/**
 * `table` rows by index (negative: row 0), packed. Our gather program when the table and the
 * index each fit one texture, tfjs's gather otherwise.
 */
function gatherRows(table: tf.Tensor2D, rows: Int32Array): tf.Tensor2D {
  return tf.tidy(() => {
    const maxTexels = tf.env().getNumber('WEBGL_MAX_TEXTURE_SIZE');
    const clamped = rows.map((row) => Math.max(row, 0));
    if (Math.ceil(table.shape[0] / 2) > maxTexels || Math.ceil(rows.length / 2) > maxTexels)
      return ensurePacked(tf.gather(table, tf.tensor1d(clamped, 'int32')));
    const index = ensurePacked(tf.tensor2d(Float32Array.from(clamped), [1, rows.length]));
    return runFusedKernel(KERNELS.gatherRows, { table: ensurePacked(table), rows: index }, {}) as tf.Tensor2D;
  });
}

/** Time-major chunks `[T, B, 4H]` of at most `length` steps of the table rows the positions read. */
function gatherChunks(table: tf.Tensor2D, rows: Int32Array, batch: number, length: number): tf.Tensor3D[] {
  return chunkRanges(rows.length / batch, length).map(
    ([from, to]) =>
      tf.reshape(gatherRows(table, rows.subarray(from * batch, to * batch)), [
        to - from,
        batch,
        table.shape[1],
      ]) as tf.Tensor3D,
  );
}

/** [from, to) timestep ranges of at most `length` steps covering `steps`. */
function chunkRanges(steps: number, length: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (let from = 0; from < steps; from += length) ranges.push([from, Math.min(steps, from + length)]);
  return ranges;
}

/**
 * The row index for an even batch (see withEvenBatch): an odd batch's extra row at each timestep
 * reads no row (−1: the gather reads row 0 for it, the gradient skips it).
 */
function evenRowIndex(rowOfPosition: Int32Array, batch: number): { steps: number; even: number; rows: Int32Array } {
  const steps = rowOfPosition.length / batch;
  if (!Number.isInteger(steps)) throw new Error('Fused LSTM: the row index does not cover whole timesteps');
  if (batch % 2 === 0) return { steps, even: batch, rows: rowOfPosition };
  const rows = new Int32Array(steps * (batch + 1)).fill(-1);
  for (let t = 0; t < steps; t++) rows.set(rowOfPosition.subarray(t * batch, (t + 1) * batch), t * (batch + 1));
  return { steps, even: batch + 1, rows };
}

/**
 * Σ over positions of their gradient rows into `tableRows` rows: scatterRowsProgram over groups of
 * chunks (each dispatch reads its index and at most WEBGL_MAX_TEXTURES_IN_SHADER − 3 stacks).
 */
function scatterRows(
  stacks: tf.Tensor2D[],
  rowOfPosition: Int32Array,
  tableRows: number,
  chunkRows: number,
): tf.Tensor {
  const perDispatch = tf.env().getNumber('WEBGL_MAX_TEXTURES_IN_SHADER') - 3;
  let sums: tf.Tensor | null = null;
  let position = 0;
  for (let first = 0; first < stacks.length; first += perDispatch) {
    const group = stacks.slice(first, first + perDispatch);
    const positions = group.reduce((n, stack) => n + stack.shape[0], 0);
    const index = buildRowIndex(rowOfPosition, tableRows, position, position + positions);
    position += positions;
    const next: tf.Tensor = tf.tidy(() => {
      const inputs: tf.NamedTensorMap = { offsets: indexTexture(index.offsets), order: indexTexture(index.order) };
      if (sums) inputs['sums'] = sums;
      group.forEach((stack, c) => (inputs[`grads${c}`] = stack));
      return runFusedKernel(KERNELS.scatterRows, inputs, { rows: tableRows, chunkRows });
    });
    sums?.dispose();
    sums = next;
  }
  return sums ?? tf.zeros([tableRows, stacks[0]?.shape[1] ?? 0]);
}

/** Integer entries as a float texture INDEX_TEXTURE_WIDTH wide (exact below 2²⁴). */
function indexTexture(entries: Int32Array): tf.Tensor2D {
  const rows = Math.max(1, Math.ceil(entries.length / INDEX_TEXTURE_WIDTH));
  const values = new Float32Array(rows * INDEX_TEXTURE_WIDTH);
  values.set(entries);
  return tf.tensor2d(values, [rows, INDEX_TEXTURE_WIDTH]);
}

/**
 * Same result without keeping anything for a backward pass: one dispatch per timestep (the gates
 * are not written out), and memory stays at two timesteps.
 */
export function fusedLstmInference(projected: tf.Tensor3D[], bias: tf.Tensor1D, recurrent: tf.Tensor2D): tf.Tensor2D {
  registerFusedKernels();
  return withEvenBatch(projected, (even) => inferenceLastState(even, bias, recurrent));
}

/**
 * fusedLstmInference with the projected inputs read from a table of rows (see
 * fusedLstmLastStateFromRows). Without a backward pass chunks only need to fit a texture, so a
 * single review is one gather and one chunk; an odd batch reads row 0 for its extra row.
 */
export function fusedLstmInferenceFromRows(
  table: tf.Tensor2D,
  rowOfPosition: Int32Array,
  batch: number,
  bias: tf.Tensor1D,
  recurrent: tf.Tensor2D,
): tf.Tensor2D {
  registerFusedKernels();
  const { steps, even, rows } = evenRowIndex(rowOfPosition, batch);
  return tf.tidy(() => {
    const length = Math.max(1, Math.min(steps, Math.floor(tf.env().getNumber('WEBGL_MAX_TEXTURE_SIZE') / even)));
    const state = inferenceLastState(gatherChunks(table, rows, even, length), bias, recurrent);
    return batch === even ? state : (tf.slice(state, [0, 0], [batch, state.shape[1]]) as tf.Tensor2D);
  });
}

function inferenceLastState(projected: tf.Tensor3D[], bias: tf.Tensor1D, recurrent: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const { batch, units, timeline } = dimensions(projected, recurrent);
    const biasRow = ensurePacked(tf.reshape(bias, [1, 4 * units]));
    const recurrentT = transposedRecurrent(recurrent);
    let state = initialState(batch, units);
    for (const { chunk, step } of timeline) {
      const next = runFusedKernel(
        KERNELS.step,
        { projected: chunk, bias: biasRow, state, recurrentT },
        { step, units },
      ) as tf.Tensor2D;
      state.dispose();
      state = next;
    }
    return tf.slice(state, [0, units], [batch, units]) as tf.Tensor2D;
  });
}

function dimensions(projected: tf.Tensor3D[], recurrent: tf.Tensor2D) {
  const units = recurrent.shape[0];
  if (recurrent.shape[1] !== 4 * units)
    throw new Error(`Fused LSTM: the recurrent kernel ${JSON.stringify(recurrent.shape)} is not [H, 4H]`);
  if (units % 2 !== 0) throw new Error(`Fused LSTM: needs an even number of units, got ${units}`);
  const batch = projected[0]?.shape[1];
  if (batch === undefined) throw new Error('Fused LSTM: no timesteps');
  const timeline: Array<{ chunk: tf.Tensor3D; step: number }> = [];
  for (const input of projected) {
    if (input.shape[1] !== batch || input.shape[2] !== 4 * units)
      throw new Error(
        `Fused LSTM: projected chunk ${JSON.stringify(input.shape)} does not match [T, ${batch}, ${4 * units}]`,
      );
    const chunk = ensurePacked(input);
    for (let step = 0; step < chunk.shape[0]; step++) timeline.push({ chunk, step });
  }
  return { batch, units, timeline };
}

function packed(tensor: tf.Tensor2D): tf.Tensor2D {
  return runFusedKernel(KERNELS.packedCopy, { source: tensor }, {}) as tf.Tensor2D;
}

/**
 * Uᵀ, packed: the forward products read U one column of 2×2 blocks at a time, and SwiftShader
 * serves reads along a texture row much faster than down a column.
 */
function transposedRecurrent(recurrent: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => packed(tf.transpose(recurrent)));
}

function initialState(batch: number, units: number): tf.Tensor2D {
  return tf.tidy(() => packed(tf.zeros([batch, 2 * units])));
}

/** Where the projected inputs come from, and how their gradient goes back to it. */
interface ProjectionSource {
  /** The differentiable tensors the projected inputs are made of. */
  tensors: tf.Tensor[];
  /** The projected chunks `[T, B, 4H]` (B even), made from `tensors` in the forward pass. */
  chunks: (tensors: tf.Tensor[]) => tf.Tensor3D[];
  /** The gradients of `tensors`, from the projected chunks' gradients stacked `[T·B, 4H]`. */
  gradients: (stacks: tf.Tensor2D[]) => tf.Tensor[];
}

function trainableLastState(source: ProjectionSource, bias: tf.Tensor1D, recurrent: tf.Tensor2D): tf.Tensor2D {
  const count = source.tensors.length;
  const run = tf.customGrad(
    // customGrad's typing only knows Tensor arguments; the last one is tfjs's save function.
    (...args: unknown[]) => {
      const save = args.at(-1) as (tensors: tf.Tensor[]) => void;
      const projected = source.chunks(args.slice(0, count) as tf.Tensor[]);
      const recurrent = args.at(-2) as tf.Tensor2D;
      const shape = dimensions(projected, recurrent);
      const { batch, units } = shape;
      const biasRow = ensurePacked(tf.reshape(args.at(-3) as tf.Tensor1D, [1, 4 * units]));
      const packedRecurrent = packed(recurrent);
      const records = forwardRecords(shape.timeline, biasRow, recurrent, batch, units);
      save([packedRecurrent, ...records]);
      const value = tf.slice(records.at(-1)!, [0, units], [batch, units]) as tf.Tensor2D;
      const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
        const [savedRecurrent, ...savedRecords] = saved;
        const cellGrads = backwardThroughTime(dy, savedRecords, savedRecurrent!, batch, units);
        const chunkLengths = projected.map((chunk) => chunk.shape[0]);
        const { dProjected, dBias, dRecurrent } = weightGradients(chunkLengths, cellGrads, savedRecords, units);
        tf.dispose(cellGrads);
        const dSource = source.gradients(dProjected);
        tf.dispose(dProjected.filter((stack) => !dSource.includes(stack)));
        return [...dSource, dBias, dRecurrent];
      };
      return { value, gradFunc };
    },
  ) as (...inputs: tf.Tensor[]) => tf.Tensor2D;
  return run(...source.tensors, bias, recurrent);
}

/**
 * The forward pass, keeping what the backward pass needs: records[t] is the state before timestep
 * t (records[t + 1] also holds timestep t's gates).
 */
function forwardRecords(
  timeline: ReturnType<typeof dimensions>['timeline'],
  biasRow: tf.Tensor,
  recurrent: tf.Tensor2D,
  batch: number,
  units: number,
): tf.Tensor[] {
  const recurrentT = transposedRecurrent(recurrent);
  const records: tf.Tensor[] = [initialState(batch, units)];
  for (const [t, { chunk, step }] of timeline.entries()) {
    const state = records[t]!;
    const gates = runFusedKernel(
      KERNELS.gates,
      { projected: chunk, bias: biasRow, state, recurrentT },
      { step, units },
    );
    records.push(runFusedKernel(KERNELS.cell, { gates, previous: state }, { units }));
    gates.dispose();
  }
  return records;
}

/** Backpropagation through time: each timestep's gradient of the gates' pre-activations `[B, 4H]` (plus the cell's). */
function backwardThroughTime(
  dy: tf.Tensor,
  records: tf.Tensor[],
  recurrent: tf.Tensor,
  batch: number,
  units: number,
): tf.Tensor[] {
  const steps = records.length - 1;
  const cellGrads = new Array<tf.Tensor>(steps);
  let dh: tf.Tensor = dy;
  let next: tf.Tensor = tf.zeros([batch, 5 * units]);
  for (let t = steps - 1; t >= 0; t--) {
    const cellGrad = runFusedKernel(
      KERNELS.cellBackward,
      { record: records[t + 1]!, previous: records[t]!, dh, next },
      { units },
    );
    if (t === steps - 1) next.dispose();
    if (dh !== dy) dh.dispose();
    cellGrads[t] = cellGrad;
    dh = t > 0 ? runFusedKernel(KERNELS.recurrentBackward, { cellGrad, recurrent }, { units }) : dy;
    next = cellGrad;
  }
  return cellGrads;
}

/**
 * From the timesteps' gradients: each chunk's projection gradient, and the recurrent kernel's and
 * the bias's (sums over timesteps). Each chunk's steps are stacked once, as the projection's
 * gradient, and transposed for the sums.
 */
function weightGradients(
  chunkLengths: number[],
  cellGrads: tf.Tensor[],
  records: tf.Tensor[],
  units: number,
): { dProjected: tf.Tensor2D[]; dBias: tf.Tensor; dRecurrent: tf.Tensor } {
  const dProjected: tf.Tensor2D[] = [];
  const statesT: tf.Tensor[] = [];
  const gradsT: tf.Tensor[] = [];
  let from = 0;
  for (const length of chunkLengths) {
    const grads = cellGrads.slice(from, from + length);
    const before = records.slice(from, from + length);
    dProjected.push(stack(grads, 0, 4 * units, false) as tf.Tensor2D);
    statesT.push(stack(before, units, units, true));
    gradsT.push(stack(grads, 0, 4 * units, true));
    from += length;
  }
  const group = Math.floor((tf.env().getNumber('WEBGL_MAX_TEXTURES_IN_SHADER') - 1) / 2);
  let sums: tf.Tensor = tf.zeros([units + 2, 4 * units]);
  for (let first = 0; first < statesT.length; first += group) {
    const inputs: tf.NamedTensorMap = { sums };
    for (let c = 0; c < group && first + c < statesT.length; c++) {
      inputs[`h${c}`] = statesT[first + c]!;
      inputs[`dz${c}`] = gradsT[first + c]!;
    }
    const next = runFusedKernel(KERNELS.weightGrad, inputs, { units });
    sums.dispose();
    sums = next;
  }
  tf.dispose([...statesT, ...gradsT]);
  const dRecurrent = tf.slice(sums, [0, 0], [units, 4 * units]);
  const dBias = tf.reshape(tf.slice(sums, [units, 0], [1, 4 * units]), [4 * units]);
  sums.dispose();
  return { dProjected, dBias, dRecurrent };
}

/** One chunk's per-step tensors `[B, W]` stacked, columns `columnFrom…+columns` (see stackProgram). */
function stack(parts: tf.Tensor[], columnFrom: number, columns: number, transposed: boolean): tf.Tensor {
  const inputs: tf.NamedTensorMap = {};
  parts.forEach((part, i) => (inputs[`part${i}`] = part));
  return runFusedKernel(KERNELS.stack, inputs, { columnFrom, columns, transposed });
}
