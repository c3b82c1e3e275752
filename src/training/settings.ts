import { choiceField, numberField, readSearch, writeSearch, type Codecs } from '../url/searchCodec';

/** Everything that defines a run. Defaults are the Keras article's. Settings live in the URL. */
export type OptimizerName = 'rmsprop' | 'adam' | 'sgd';
/** `auto` is a request (the app picks one of the others), never the engine that runs. */
export type EngineName = 'auto' | 'fused' | 'stock' | 'wasm';
/** `on`: Embedding mask_zero, the LSTM skips padding; `off`: padding is read as a token (the article's). */
export type MaskZero = 'off' | 'on';
/** `bucketed`: each epoch's batches hold reviews of similar length (see training/bucketing.ts). */
export type BatchOrder = 'shuffled' | 'bucketed';

export interface TrainingSettings {
  trainReviews: number;
  testReviews: number;
  numWords: number;
  maxlen: number;
  embeddingDim: number;
  lstmUnits: number;
  dropout: number;
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
  epochs: number;
  validationShare: number;
  seed: number;
  /** Epochs without validation-loss improvement before stopping; 0 turns early stopping off. */
  earlyStoppingPatience: number;
  engine: EngineName;
  maskZero: MaskZero;
  batchOrder: BatchOrder;
  /** Share of the training reviews read as a random run of words each epoch (training/windows.ts); 0 = off. */
  windowShare: number;
  /** Share of the training reviews also read as a window each epoch, besides whole (added rows); 0 = off. */
  windowExtra: number;
  /** Share of the windows that end where the review ends (its closing words); the others start anywhere. */
  windowEndShare: number;
  /** The longest window in words (log-uniform lengths from 4 up to this); 0 = up to the review's length. */
  windowMaxWords: number;
  /** The learning rate is multiplied by this after each epoch (epoch e trains at learningRate · decay^(e−1)); 1 = constant. */
  learningRateDecay: number;
}

export const DEFAULT_SETTINGS: TrainingSettings = {
  trainReviews: 25000,
  testReviews: 25000,
  numWords: 20000,
  maxlen: 200,
  embeddingDim: 128,
  lstmUnits: 128,
  dropout: 0,
  optimizer: 'rmsprop',
  learningRate: 0.001,
  batchSize: 128,
  epochs: 5,
  validationShare: 0.1,
  seed: 42,
  earlyStoppingPatience: 0,
  engine: 'auto',
  maskZero: 'off',
  batchOrder: 'shuffled',
  windowShare: 0,
  windowExtra: 0,
  windowEndShare: 0,
  windowMaxWords: 0,
  learningRateDecay: 1,
};

export type NumericKey = {
  [K in keyof TrainingSettings]: TrainingSettings[K] extends number ? K : never;
}[keyof TrainingSettings];

export interface NumberRule {
  label: string;
  /** Shown beside the label in the form (what a special value means). */
  hint?: string;
  /** Values offered as suggestions in the form. */
  suggestions?: readonly number[];
  min: number;
  max: number;
  integer: boolean;
  /** The lower bound is exclusive (e.g. a learning rate of 0 makes no sense). */
  exclusiveMin?: boolean;
}

export const NUMBER_RULES: Record<NumericKey, NumberRule> = {
  trainReviews: {
    label: 'Training reviews',
    min: 100,
    max: 25000,
    integer: true,
    suggestions: [5000, 10000, 25000],
  },
  testReviews: { label: 'Test reviews', min: 100, max: 25000, integer: true, suggestions: [5000, 10000, 25000] },
  numWords: { label: 'numWords', min: 2, max: 200000, integer: true },
  maxlen: { label: 'maxlen', min: 1, max: 2000, integer: true },
  embeddingDim: { label: 'Embedding size', min: 1, max: 1024, integer: true },
  lstmUnits: { label: 'LSTM units', min: 1, max: 1024, integer: true },
  dropout: { label: 'Dropout', min: 0, max: 0.9, integer: false },
  learningRate: { label: 'Learning rate', min: 0, max: 10, integer: false, exclusiveMin: true },
  batchSize: { label: 'Batch size', min: 1, max: 4096, integer: true },
  epochs: { label: 'Epochs', min: 1, max: 1000, integer: true },
  validationShare: { label: 'Validation share', min: 0, max: 0.5, integer: false },
  seed: { label: 'Seed', min: 0, max: 2 ** 31 - 1, integer: true },
  earlyStoppingPatience: { label: 'Early stopping patience', hint: '0 = off', min: 0, max: 100, integer: true },
  windowShare: {
    label: 'Random windows',
    hint: 'share of training reviews read as a random run of words each epoch; 0 = off',
    min: 0,
    max: 0.9,
    integer: false,
    suggestions: [0, 0.25, 0.5],
  },
  windowExtra: {
    label: 'Added windows',
    hint: 'share of training reviews also read as a random run of words each epoch, besides whole; 0 = off',
    min: 0,
    max: 1,
    integer: false,
    suggestions: [0, 0.5, 1],
  },
  windowEndShare: {
    label: 'Windows at the end',
    hint: "share of the windows that are a review's last words; the rest start anywhere",
    min: 0,
    max: 1,
    integer: false,
    suggestions: [0, 0.5, 1],
  },
  windowMaxWords: {
    label: 'Longest window',
    hint: "in words; 0 = up to the review's length",
    min: 0,
    max: 2000,
    integer: true,
    suggestions: [0, 40, 80],
  },
  learningRateDecay: {
    label: 'Learning-rate decay',
    hint: 'factor per epoch; 1 = constant',
    min: 0,
    max: 1,
    integer: false,
    exclusiveMin: true,
    suggestions: [1, 0.7, 0.5],
  },
};

export type ChoiceKey = 'optimizer' | 'engine' | 'maskZero' | 'batchOrder';

/** A setting chosen from a list: its label, each value's label, and what the choice means. */
export interface ChoiceRule<V extends string> {
  label: string;
  options: ReadonlyArray<{ value: V; label: string }>;
  description?: string;
}

export const CHOICE_RULES: {
  optimizer: ChoiceRule<OptimizerName>;
  engine: ChoiceRule<EngineName>;
  maskZero: ChoiceRule<MaskZero>;
  batchOrder: ChoiceRule<BatchOrder>;
} = {
  optimizer: {
    label: 'Optimizer',
    options: [
      { value: 'rmsprop', label: 'RMSprop' },
      { value: 'adam', label: 'Adam' },
      { value: 'sgd', label: 'SGD' },
    ],
  },
  engine: {
    label: 'LSTM engine',
    options: [
      { value: 'auto', label: 'auto (the fastest here)' },
      { value: 'fused', label: 'fused WebGL kernels' },
      { value: 'stock', label: 'stock tfjs LSTM' },
      { value: 'wasm', label: 'WebAssembly SIMD (CPU)' },
    ],
    description:
      'auto: WebAssembly where WebGL is software-rendered or missing; on a GPU, whichever of fused and WebAssembly ' +
      'trains two calibration batches faster. fused: our WebGL shader kernels (2 dispatches per timestep forward, 2 ' +
      "backward); stock: tfjs's own LSTM layer; wasm: the whole training step in WebAssembly SIMD on the CPU (one " +
      'thread), the fastest where WebGL is software-rendered. Off WebGL, or with an odd number of units, fused runs as ' +
      'stock; wasm needs dimensions that are multiples of 4.',
  },
  maskZero: {
    label: 'Padding',
    options: [
      { value: 'off', label: 'read as a token' },
      { value: 'on', label: 'masked (mask_zero)' },
    ],
    description:
      "read as a token: the Keras article's model, the LSTM runs over the padding too. masked: the Embedding's " +
      'mask_zero, the LSTM skips padding and starts from a zero state at the first word, so a short review reads as ' +
      'it would alone. The fused engine does not take masking (it runs as stock).',
  },
  batchOrder: {
    label: 'Batches',
    options: [
      { value: 'shuffled', label: 'shuffled' },
      { value: 'bucketed', label: 'length-bucketed' },
    ],
    description:
      'shuffled: each epoch a seeded shuffle cut into batches. length-bucketed: the shuffle is cut into groups of ' +
      'batches, each group sorted by review length, so a batch holds reviews of similar length; with masked ' +
      "padding the WebAssembly engine then runs each batch only over its longest review's steps.",
  },
};

const OPTIMIZERS: readonly OptimizerName[] = CHOICE_RULES.optimizer.options.map((o) => o.value);
export const ENGINES: readonly EngineName[] = CHOICE_RULES.engine.options.map((o) => o.value);
const MASK_CHOICES: readonly MaskZero[] = CHOICE_RULES.maskZero.options.map((o) => o.value);
const BATCH_ORDERS: readonly BatchOrder[] = CHOICE_RULES.batchOrder.options.map((o) => o.value);

export type SettingsErrors = Partial<Record<keyof TrainingSettings, string>>;

/** Field-by-field messages for invalid settings; an empty object means valid. */
export function validateSettings(settings: TrainingSettings): SettingsErrors {
  const errors: SettingsErrors = {};
  for (const [key, rule] of Object.entries(NUMBER_RULES) as Array<[NumericKey, NumberRule]>) {
    const value = settings[key];
    const range = `${rule.exclusiveMin ? 'above' : 'from'} ${rule.min} ${rule.exclusiveMin ? 'and up to' : 'to'} ${rule.max}`;
    if (typeof value !== 'number' || !Number.isFinite(value)) errors[key] = `${rule.label} must be a number.`;
    else if (rule.integer && !Number.isInteger(value)) errors[key] = `${rule.label} must be a whole number.`;
    else if (value < rule.min || value > rule.max || (rule.exclusiveMin && value === rule.min)) {
      errors[key] = `${rule.label} must be ${range}.`;
    }
  }
  if (!OPTIMIZERS.includes(settings.optimizer)) errors.optimizer = `Optimizer must be one of ${OPTIMIZERS.join(', ')}.`;
  if (!ENGINES.includes(settings.engine)) errors.engine = `Engine must be one of ${ENGINES.join(', ')}.`;
  if (!MASK_CHOICES.includes(settings.maskZero)) errors.maskZero = `Padding must be one of ${MASK_CHOICES.join(', ')}.`;
  if (!BATCH_ORDERS.includes(settings.batchOrder))
    errors.batchOrder = `Batches must be one of ${BATCH_ORDERS.join(', ')}.`;
  if (!errors.validationShare && !errors.trainReviews && settings.validationShare > 0) {
    const held = Math.round(settings.trainReviews * settings.validationShare);
    if (held < 2) errors.validationShare = 'Validation share holds out fewer than 2 reviews; raise it or set it to 0.';
  }
  return errors;
}

const CHOICE_CODECS: Codecs<Pick<TrainingSettings, ChoiceKey>> = {
  optimizer: choiceField<OptimizerName>(),
  engine: choiceField<EngineName>(),
  maskZero: choiceField<MaskZero>(),
  batchOrder: choiceField<BatchOrder>(),
};
/** In the order of DEFAULT_SETTINGS, so links always list their parameters the same way. */
const SETTINGS_CODECS = Object.fromEntries(
  Object.keys(DEFAULT_SETTINGS).map((key) => [
    key,
    key in CHOICE_CODECS ? CHOICE_CODECS[key as ChoiceKey] : numberField,
  ]),
) as Codecs<TrainingSettings>;

/** Reads settings from URL query parameters; unknown values are kept as given so validation can name them. */
export function settingsFromSearch(search: string, base: TrainingSettings = DEFAULT_SETTINGS): TrainingSettings {
  return readSearch(search, SETTINGS_CODECS, base);
}

/** Writes the settings that differ from the defaults into `search`, keeping other parameters. */
export function settingsToSearch(settings: TrainingSettings, search = ''): string {
  const text = writeSearch(settings, SETTINGS_CODECS, DEFAULT_SETTINGS, search);
  return text ? `?${text}` : '';
}
