/**
 * Reads model.json: checks it is the app's architecture (Embedding → LSTM → Dense(1, sigmoid),
 * as tfjs or Keras writes it) and that its weights manifest and the weight bytes agree.
 */
import { integerField, isObject, type JsonObject } from './json';
import { BundleError, FILE_NAMES } from './bundleError';
import { type ModelJson, type WeightSpec } from './types';

export type GateActivation = 'sigmoid' | 'hard_sigmoid';

export interface Architecture {
  /** Embedding input size: ids must be below it. */
  vocabularySize: number;
  embeddingDim: number;
  /** The model's fixed input length, when its config has one. */
  inputLength: number | null;
  maskZero: boolean;
  lstmUnits: number;
  recurrentActivation: GateActivation;
}

const WHERE = FILE_NAMES.model;
const EXPECTED = 'a Sequential Embedding → LSTM → Dense(1, sigmoid) model';

/** Checks the shape of model.json (not yet its layers) and returns it typed. */
export function validateModelJson(value: unknown): ModelJson {
  if (!isObject(value)) throw new BundleError(`${WHERE} must be a JSON object.`);
  if (!isObject(value.modelTopology)) {
    throw new BundleError(`${WHERE} has no "modelTopology": it is not a tfjs layers model.json.`);
  }
  if (value.format !== undefined && value.format !== 'layers-model') {
    throw new BundleError(
      `${WHERE}: format ${JSON.stringify(value.format)} is not a layers model (graph models cannot be loaded here).`,
    );
  }
  const manifest = value.weightsManifest;
  if (!Array.isArray(manifest) || manifest.length === 0) {
    throw new BundleError(`${WHERE} has no "weightsManifest", so it names no weights file.`);
  }
  const groups = manifest.map((group: unknown, g) => {
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new BundleError(`${WHERE}: weightsManifest[${g}] needs "paths" and "weights" lists.`);
    }
    const paths = group.paths.map((p: unknown) => {
      if (typeof p !== 'string' || p.length === 0)
        throw new BundleError(`${WHERE}: weightsManifest[${g}].paths must be file names.`);
      return p;
    });
    const weights = group.weights.map((w: unknown, i): WeightSpec => {
      const where = `${WHERE}: weightsManifest[${g}].weights[${i}]`;
      if (!isObject(w) || typeof w.name !== 'string' || !Array.isArray(w.shape) || typeof w.dtype !== 'string') {
        throw new BundleError(`${where} needs a "name", a "shape" and a "dtype".`);
      }
      const shape = w.shape.map((d: unknown) => {
        if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) throw new BundleError(`${where}: bad shape.`);
        return d;
      });
      return w.quantization === undefined
        ? { name: w.name, shape, dtype: w.dtype }
        : { name: w.name, shape, dtype: w.dtype, quantization: w.quantization };
    });
    return { paths, weights };
  });
  return {
    format: 'layers-model',
    generatedBy: typeof value.generatedBy === 'string' ? value.generatedBy : 'unknown',
    convertedBy: typeof value.convertedBy === 'string' ? value.convertedBy : null,
    modelTopology: value.modelTopology,
    weightsManifest: groups,
  };
}

export const weightSpecsOf = (model: ModelJson): WeightSpec[] => model.weightsManifest.flatMap((g) => g.weights);

function layersOf(topology: JsonObject): JsonObject[] {
  // Keras 2 and tfjs write {class_name, config: {layers}}; Keras 3 nests the same under "config".
  const className = topology.class_name;
  if (className !== 'Sequential') {
    throw new BundleError(`${WHERE}: expected ${EXPECTED}, found a ${JSON.stringify(className)} model.`);
  }
  const config = topology.config;
  const layers = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(layers)) throw new BundleError(`${WHERE}: the Sequential model lists no layers.`);
  return layers.map((layer: unknown, i) => {
    if (!isObject(layer) || typeof layer.class_name !== 'string' || !isObject(layer.config)) {
      throw new BundleError(`${WHERE}: layer ${i} needs a "class_name" and a "config".`);
    }
    return layer;
  });
}

function activationName(value: unknown): string {
  // Keras 3 may write an activation as {"class_name": ..., "config": {"name": ...}}.
  if (isObject(value) && isObject(value.config) && typeof value.config.name === 'string') return value.config.name;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The architecture model.json describes, or a BundleError naming what does not fit. */
export function readArchitecture(model: ModelJson): Architecture {
  const layers = layersOf(model.modelTopology).filter((l) => l.class_name !== 'InputLayer');
  const names = layers.map((l) => String(l.class_name));
  if (names.join() !== 'Embedding,LSTM,Dense') {
    throw new BundleError(`${WHERE}: expected ${EXPECTED}, found ${names.join(' → ') || 'no layers'}.`);
  }
  const [embedding, lstm, dense] = layers.map((l) => l.config as JsonObject) as [JsonObject, JsonObject, JsonObject];
  const vocabularySize = integerField(embedding, 'input_dim', `${WHERE} Embedding`, 1);
  const embeddingDim = integerField(embedding, 'output_dim', `${WHERE} Embedding`, 1);
  const batchShape = embedding.batch_input_shape ?? embedding.batch_shape;
  const declaredLength = Array.isArray(batchShape) ? batchShape[1] : embedding.input_length;
  const inputLength = typeof declaredLength === 'number' && Number.isInteger(declaredLength) ? declaredLength : null;

  const lstmUnits = integerField(lstm, 'units', `${WHERE} LSTM`, 1);
  const problems: string[] = [];
  if (activationName(lstm.activation) !== 'tanh')
    problems.push(`LSTM activation ${activationName(lstm.activation)} (only tanh)`);
  const gate = activationName(lstm.recurrent_activation);
  const recurrentActivation: GateActivation | null =
    gate === 'sigmoid' ? 'sigmoid' : gate === 'hard_sigmoid' || gate === 'hardSigmoid' ? 'hard_sigmoid' : null;
  if (!recurrentActivation) problems.push(`LSTM recurrent_activation ${gate} (only sigmoid or hard_sigmoid)`);
  if (lstm.use_bias === false) problems.push('an LSTM without bias');
  for (const flag of ['return_sequences', 'go_backwards', 'stateful', 'return_state'] as const) {
    if (lstm[flag] === true) problems.push(`LSTM ${flag}=true`);
  }
  if (dense.units !== 1) problems.push(`Dense with ${JSON.stringify(dense.units)} units (needs 1)`);
  if (activationName(dense.activation) !== 'sigmoid')
    problems.push(`Dense activation ${activationName(dense.activation)} (needs sigmoid)`);
  if (dense.use_bias === false) problems.push('a Dense layer without bias');
  if (problems.length > 0 || !recurrentActivation) {
    throw new BundleError(`${WHERE}: expected ${EXPECTED}, but it has ${problems.join(', ')}.`);
  }
  return {
    vocabularySize,
    embeddingDim,
    inputLength,
    maskZero: embedding.mask_zero === true,
    lstmUnits,
    recurrentActivation,
  };
}

/** The weight shapes the architecture needs, in Keras/tfjs order. */
export function expectedWeightShapes(a: Architecture): Array<{ what: string; shape: number[] }> {
  const gates = 4 * a.lstmUnits;
  return [
    { what: `Embedding(${a.vocabularySize}, ${a.embeddingDim}) embeddings`, shape: [a.vocabularySize, a.embeddingDim] },
    { what: `LSTM(${a.lstmUnits}) kernel`, shape: [a.embeddingDim, gates] },
    { what: `LSTM(${a.lstmUnits}) recurrent kernel`, shape: [a.lstmUnits, gates] },
    { what: `LSTM(${a.lstmUnits}) bias`, shape: [gates] },
    { what: 'Dense(1) kernel', shape: [a.lstmUnits, 1] },
    { what: 'Dense(1) bias', shape: [1] },
  ];
}

const sizeOf = (shape: readonly number[]) => shape.reduce((n, d) => n * d, 1);

/**
 * Checks the manifest against the architecture and the weight bytes against the manifest.
 * Returns each weight's element offset into the Float32 weight data.
 */
export function checkWeights(model: ModelJson, architecture: Architecture, weightBytes: number): number[] {
  const specs = weightSpecsOf(model);
  const expected = expectedWeightShapes(architecture);
  if (specs.length !== expected.length) {
    throw new BundleError(
      `${WHERE} lists ${specs.length} weights; Embedding → LSTM → Dense needs ${expected.length} (${expected.map((e) => e.what).join(', ')}).`,
    );
  }
  const offsets: number[] = [];
  let elements = 0;
  specs.forEach((spec, i) => {
    const want = expected[i]!;
    if (spec.quantization !== undefined || spec.dtype !== 'float32') {
      throw new BundleError(
        `${WHERE}: weight "${spec.name}" is ${spec.quantization ? 'quantized' : spec.dtype}; only float32 weights are supported.`,
      );
    }
    if (spec.shape.join() !== want.shape.join()) {
      throw new BundleError(
        `${WHERE}: weight "${spec.name}" has shape [${spec.shape.join(', ')}], but the ${want.what} needs [${want.shape.join(', ')}].`,
      );
    }
    offsets.push(elements);
    elements += sizeOf(spec.shape);
  });
  if (weightBytes !== elements * 4) {
    throw new BundleError(
      `The weights file holds ${weightBytes.toLocaleString('en-US')} bytes, but ${WHERE} describes ${specs.length} float32 weights of ` +
        `${(elements * 4).toLocaleString('en-US')} bytes: the weights do not belong to this model.json.`,
    );
  }
  return offsets;
}
