import { describePlace } from '../../training/checkpointPlace';
import { ProgressBar } from '../ProgressBar';
import { formatCount, formatDuration, formatThreads } from '../format';
import type { TrainingState } from './useTraining';

const ENGINE_LABELS = {
  fused: 'fused WebGL kernels',
  stock: 'stock tfjs LSTM',
  wasm: 'WebAssembly SIMD',
} as const;

const EVALUATION_LABELS = {
  validating: 'Validation',
  testing: 'Test evaluation',
  'self-check': 'Self-check failed: test evaluation of the saved model',
  'short-versions': 'Short versions of the test reviews (last sentence, last 20 words)',
} as const;

/** Epoch and batch, examples per second and time left, from the batch points received so far. */
export function TrainingProgress({ state }: { state: TrainingState }) {
  const { batches, settings, evalProgress } = state;
  if (!settings) return null;
  const last = batches.at(-1);
  const batchesPerEpoch = last?.batchesPerEpoch ?? Math.ceil(state.trainExamples / settings.batchSize);
  const totalBatches = batchesPerEpoch * settings.epochs;
  const done = last?.step ?? 0;
  const recent = batches.slice(-20);
  const recentMs = recent.reduce((sum, b) => sum + b.milliseconds, 0);
  const recentExamples = recent.reduce((sum, b) => sum + b.size, 0);
  const examplesPerSecond = recentMs > 0 ? recentExamples / (recentMs / 1000) : 0;
  const secondsLeft = recent.length > 0 ? ((totalBatches - done) * recentMs) / recent.length / 1000 : Number.NaN;
  return (
    <div className="training-progress" data-testid="training-progress">
      <ProgressBar
        label="Training"
        done={done}
        total={totalBatches || 1}
        detail={
          last
            ? `epoch ${last.epoch}/${settings.epochs} · batch ${last.batch}/${last.batchesPerEpoch}`
            : state.status === 'building'
              ? 'building the model…'
              : 'starting…'
        }
      />
      <div className="progress-stats muted">
        <span data-testid="examples-per-second">
          {examplesPerSecond > 0 ? `${examplesPerSecond.toFixed(1)} examples/s` : '– examples/s'}
        </span>
        <span>{done < totalBatches ? `about ${formatDuration(secondsLeft)} of training left` : 'training done'}</span>
        <span>
          {formatCount(state.trainExamples)} training · {formatCount(state.validationExamples)} validation examples
        </span>
        {last && <span>numTensors {last.numTensors}</span>}
      </div>
      {state.engine && (
        <p
          className="muted small"
          data-testid="engine-in-use"
          data-engine={state.engine.name}
          data-threads={state.engine.threads ?? undefined}
        >
          Engine: {ENGINE_LABELS[state.engine.name]}
          {state.engine.note ? ` — ${state.engine.note}` : ''}
          {state.engine.threads !== null ? ` · ${formatThreads(state.engine.threads)}` : ''}
        </p>
      )}
      {state.notice && (
        <p className="hint small" role="status" data-testid="recovery-notice">
          {state.notice}
        </p>
      )}
      {(state.resumedFrom !== null || state.checkpoint) && (
        <p
          className={state.checkpoint?.error ? 'hint small' : 'muted small'}
          data-testid="checkpoint-status"
          data-epoch={state.checkpoint?.place.epoch}
        >
          {state.resumedFrom !== null ? `Resumed from the checkpoint ${describePlace(state.resumedFrom)}. ` : ''}
          {state.checkpoint?.error
            ? `Checkpoints stopped ${describePlace(state.checkpoint.place)}: ${state.checkpoint.error} The run goes on; the last checkpoint written is intact.`
            : state.checkpoint
              ? `Checkpointed ${describePlace(state.checkpoint.place)} (in this browser: ` +
                (state.checkpoint.place.batch !== null
                  ? 'the run can go on from there, see "Resume" above).'
                  : 'a reload or a crash can resume from there).')
              : ''}
        </p>
      )}
      {evalProgress && (
        <ProgressBar
          label={EVALUATION_LABELS[evalProgress.phase]}
          done={evalProgress.done}
          total={evalProgress.total}
          detail={`${formatCount(evalProgress.done)} / ${formatCount(evalProgress.total)} reviews`}
        />
      )}
    </div>
  );
}
