import { useMemo } from 'react';
import { matchingPreset, PRESETS } from '../../training/presets';
import { BaselineBlock } from '../baseline/BaselineBlock';
import type { BaselineState } from '../baseline/useBaseline';
import type { SettingsErrors, TrainingSettings } from '../../training/settings';
import { SettingField } from '../SettingField';
import type { ReviewTools } from './MisclassifiedBrowser';
import { RunSummaryView } from './RunSummaryView';
import { ARTICLE_REFERENCE, TrainingCharts, type Reference } from './TrainingCharts';
import { TrainingProgress } from './TrainingProgress';
import { isRunning, type TrainingState } from './useTraining';

interface TrainingPanelProps {
  settings: TrainingSettings;
  errors: SettingsErrors;
  onChange: (patch: Partial<TrainingSettings>) => void;
  state: TrainingState;
  onTrain: () => void;
  onStop: () => void;
  /** For the run summary's review browser: texts from the data worker, readings from the current model. */
  reviewTools: ReviewTools;
  /** The NBSVM baseline beside the LSTM. */
  baseline: { state: BaselineState; onTrain: () => void; onCancel: () => void };
}

/** The run's settings, in the form's order (the dataset panel has the data's). */
const TRAINING_FIELDS = [
  'embeddingDim',
  'lstmUnits',
  'dropout',
  'maskZero',
  'optimizer',
  'engine',
  'batchOrder',
  'windowShare',
  'windowExtra',
  'windowEndShare',
  'windowMaxWords',
  'learningRate',
  'learningRateDecay',
  'batchSize',
  'epochs',
  'validationShare',
  'seed',
  'earlyStoppingPatience',
] as const;

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

/** One click to the article's settings or to the Recommended ones (training/presets.ts). */
function Presets({
  settings,
  onChange,
  disabled,
}: {
  settings: TrainingSettings;
  onChange: (patch: Partial<TrainingSettings>) => void;
  disabled: boolean;
}) {
  const current = matchingPreset(settings);
  return (
    <div className="presets" role="group" aria-label="Presets" data-testid="presets">
      <span className="muted">Presets:</span>
      {PRESETS.map((preset) => (
        <button
          key={preset.id}
          type="button"
          className={current?.id === preset.id ? 'secondary selected' : 'secondary'}
          aria-pressed={current?.id === preset.id}
          title={preset.description}
          disabled={disabled}
          onClick={() => onChange(preset.settings)}
        >
          {preset.label}
        </button>
      ))}
      {current && <span className="muted small">{current.description}</span>}
    </div>
  );
}

export function TrainingPanel({
  settings,
  errors,
  onChange,
  state,
  onTrain,
  onStop,
  reviewTools,
  baseline,
}: TrainingPanelProps) {
  const running = isRunning(state.status);
  const baselineAccuracy = baseline.state.summary?.test?.accuracy ?? null;
  const references = useMemo<Reference[]>(
    () =>
      baselineAccuracy === null
        ? [ARTICLE_REFERENCE]
        : [
            ARTICLE_REFERENCE,
            {
              id: 'baseline',
              label: `Baseline (NBSVM) test ${(baselineAccuracy * 100).toFixed(1)}%`,
              value: baselineAccuracy,
              color: '#2ea043',
            },
          ],
    [baselineAccuracy],
  );
  const invalid = Object.keys(errors).length > 0;
  const fieldProps = { settings, errors, onChange, disabled: running };
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
      <Presets settings={settings} onChange={onChange} disabled={running} />
      <div className="settings-form">
        {TRAINING_FIELDS.map((name) => (
          <SettingField key={name} name={name} {...fieldProps} />
        ))}
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
      <BaselineBlock
        state={baseline.state}
        lstm={state.summary}
        onTrain={baseline.onTrain}
        onCancel={baseline.onCancel}
        disabled={invalid}
      />
      {/* Mounted as the run starts, before the GPU gets busy; afterwards only updated. */}
      {(state.status !== 'idle' || baselineAccuracy !== null) && (
        <TrainingCharts
          batches={state.batches}
          epochs={state.epochs}
          plannedEpochs={state.settings?.epochs ?? settings.epochs}
          references={references}
        />
      )}
      {state.summary && <RunSummaryView summary={state.summary} reviewTools={reviewTools} />}
    </section>
  );
}
