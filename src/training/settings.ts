/** Everything that defines a run. Defaults are the Keras article's. Settings live in the URL. */
export type OptimizerName = 'rmsprop' | 'adam' | 'sgd';
/** `auto` is a request (the app picks one of the others), never the engine that runs. */
export type EngineName = 'auto' | 'fused' | 'stock' | 'wasm';

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
};

type NumericKey = {
  [K in keyof TrainingSettings]: TrainingSettings[K] extends number ? K : never;
}[keyof TrainingSettings];

interface NumberRule {
  label: string;
  min: number;
  max: number;
  integer: boolean;
  /** The lower bound is exclusive (e.g. a learning rate of 0 makes no sense). */
  exclusiveMin?: boolean;
}

export const NUMBER_RULES: Record<NumericKey, NumberRule> = {
  trainReviews: { label: 'Training reviews', min: 100, max: 25000, integer: true },
  testReviews: { label: 'Test reviews', min: 100, max: 25000, integer: true },
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
  earlyStoppingPatience: { label: 'Early stopping patience', min: 0, max: 100, integer: true },
};

const OPTIMIZERS: readonly OptimizerName[] = ['rmsprop', 'adam', 'sgd'];
export const ENGINES: readonly EngineName[] = ['auto', 'fused', 'stock', 'wasm'];

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
  if (!errors.validationShare && !errors.trainReviews && settings.validationShare > 0) {
    const held = Math.round(settings.trainReviews * settings.validationShare);
    if (held < 2) errors.validationShare = 'Validation share holds out fewer than 2 reviews; raise it or set it to 0.';
  }
  return errors;
}

/** Reads settings from URL query parameters; unknown values are kept as given so validation can name them. */
export function settingsFromSearch(search: string, base: TrainingSettings = DEFAULT_SETTINGS): TrainingSettings {
  const params = new URLSearchParams(search);
  const settings: TrainingSettings = { ...base };
  for (const key of Object.keys(NUMBER_RULES) as NumericKey[]) {
    const raw = params.get(key);
    if (raw !== null) settings[key] = raw.trim() === '' ? Number.NaN : Number(raw);
  }
  const optimizer = params.get('optimizer');
  if (optimizer !== null) settings.optimizer = optimizer as OptimizerName;
  const engine = params.get('engine');
  if (engine !== null) settings.engine = engine as EngineName;
  return settings;
}

/** Writes the settings that differ from the defaults into `search`, keeping other parameters. */
export function settingsToSearch(settings: TrainingSettings, search = ''): string {
  const params = new URLSearchParams(search);
  for (const key of Object.keys(DEFAULT_SETTINGS) as Array<keyof TrainingSettings>) {
    if (settings[key] === DEFAULT_SETTINGS[key]) params.delete(key);
    else params.set(key, String(settings[key]));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
