import type { EngineName, OptimizerName, SettingsErrors, TrainingSettings } from '../../training/settings';
import { NumberField } from '../NumberField';
import { RunSummaryView } from './RunSummaryView';
import { TrainingCharts } from './TrainingCharts';
import { TrainingProgress } from './TrainingProgress';
import { isRunning, type TrainingState } from './useTraining';

interface TrainingPanelProps {
  settings: TrainingSettings;
  errors: SettingsErrors;
  onChange: (patch: Partial<TrainingSettings>) => void;
  state: TrainingState;
  onTrain: () => void;
  onStop: () => void;
}

function BackendNote({ state }: { state: TrainingState }) {
  const { backend, backendError } = state;
  if (backendError)
    return (
      <div className="error" role="alert">
        {backendError}
      </div>
    );
  if (!backend) return <p className="muted">Starting TensorFlow.js…</p>;
  return (
    <div className="backend" data-testid="backend" data-backend={backend.name}>
      Backend: <strong>{backend.name}</strong>
      {backend.renderer && <span className="muted"> · {backend.renderer}</span>}
      {backend.softwareRendered && (
        <p className="hint">
          WebGL here is software-rendered (no GPU is available to the browser), so training runs on the CPU and is much
          slower than on a real GPU.
        </p>
      )}
      {backend.fallbackNote && <p className="hint">{backend.fallbackNote}</p>}
    </div>
  );
}

export function TrainingPanel({ settings, errors, onChange, state, onTrain, onStop }: TrainingPanelProps) {
  const running = isRunning(state.status);
  const invalid = Object.keys(errors).length > 0;
  const field = (name: keyof TrainingSettings & keyof typeof errors, label: string) => (
    <NumberField
      name={name}
      label={label}
      value={settings[name] as number}
      error={errors[name]}
      disabled={running}
      onChange={(value) => onChange({ [name]: value })}
    />
  );
  return (
    <section className="card" aria-labelledby="training-title">
      <h2 id="training-title">2 · Train</h2>
      <p className="muted">
        <code>
          Embedding({settings.numWords}, {settings.embeddingDim}) → LSTM({settings.lstmUnits}) → Dense(1, sigmoid)
        </code>
        , binary cross-entropy, trained in a Web Worker.
      </p>
      <BackendNote state={state} />
      <div className="settings-form">
        {field('embeddingDim', 'Embedding size')}
        {field('lstmUnits', 'LSTM units')}
        {field('dropout', 'Dropout')}
        <label className="field">
          Optimizer
          <select
            name="optimizer"
            value={settings.optimizer}
            disabled={running}
            onChange={(e) => onChange({ optimizer: e.target.value as OptimizerName })}
          >
            <option value="rmsprop">RMSprop</option>
            <option value="adam">Adam</option>
            <option value="sgd">SGD</option>
          </select>
          {errors.optimizer && <span className="field-error">{errors.optimizer}</span>}
        </label>
        <label className="field">
          LSTM engine
          <select
            name="engine"
            value={settings.engine}
            disabled={running}
            title="auto: WebAssembly where WebGL is software-rendered or missing; on a GPU, whichever of fused and WebAssembly trains two calibration batches faster. fused: our WebGL shader kernels (2 dispatches per timestep forward, 2 backward); stock: tfjs's own LSTM layer; wasm: the whole training step in WebAssembly SIMD on the CPU (one thread), the fastest where WebGL is software-rendered. Off WebGL, or with an odd number of units, fused runs as stock; wasm needs dimensions that are multiples of 4."
            onChange={(e) => onChange({ engine: e.target.value as EngineName })}
          >
            <option value="auto">auto (the fastest here)</option>
            <option value="fused">fused WebGL kernels</option>
            <option value="stock">stock tfjs LSTM</option>
            <option value="wasm">WebAssembly SIMD (CPU)</option>
          </select>
          {errors.engine && <span className="field-error">{errors.engine}</span>}
        </label>
        {field('learningRate', 'Learning rate')}
        {field('batchSize', 'Batch size')}
        {field('epochs', 'Epochs')}
        {field('validationShare', 'Validation share')}
        {field('seed', 'Seed')}
        {field('earlyStoppingPatience', 'Early stopping (patience, 0 = off)')}
      </div>
      {invalid && (
        <p className="hint" role="status" data-testid="settings-invalid">
          Fix the highlighted settings to train.
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={onTrain} disabled={running || invalid || state.backend === null}>
          {state.status === 'idle' ? 'Train' : 'Train again'}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={onStop}
          disabled={!running || state.stopping || state.status === 'preparing'}
        >
          {state.stopping ? 'Stopping after this batch…' : 'Stop'}
        </button>
        {state.status === 'preparing' && <span className="muted">Preparing the dataset…</span>}
      </div>
      {state.error && (
        <div className="error" role="alert" data-testid="training-error">
          {state.error}
        </div>
      )}
      {state.status !== 'idle' && state.status !== 'preparing' && <TrainingProgress state={state} />}
      {/* Mounted as the run starts, before the GPU gets busy; afterwards only updated. */}
      {state.status !== 'idle' && (
        <TrainingCharts
          batches={state.batches}
          epochs={state.epochs}
          plannedEpochs={state.settings?.epochs ?? settings.epochs}
        />
      )}
      {state.summary && <RunSummaryView summary={state.summary} />}
    </section>
  );
}
