import type { CheckpointSummary } from '../../storage/checkpointStore';
import { describePlace } from '../../training/checkpointPlace';
import { formatCount, formatPercent } from '../format';

/** Runs a reload, a closed tab, a crash or a Stop interrupted: each can go on from its last checkpoint. */
export function ResumeBanner({
  unfinished,
  busy,
  onResume,
  onDiscard,
}: {
  unfinished: CheckpointSummary[];
  busy: boolean;
  onResume: (run: CheckpointSummary) => void;
  onDiscard: (key: string) => void;
}) {
  if (unfinished.length === 0) return null;
  return (
    <div className="resume-banner" role="status" data-testid="unfinished-runs">
      {unfinished.map((run) => {
        const { epoch, batch } = run.place;
        const stopped = batch !== null;
        return (
          <p key={run.key} data-testid="unfinished-run" data-epoch={epoch} data-batch={batch ?? undefined}>
            <strong>{stopped ? 'A stopped run' : 'An unfinished run'}</strong> (checkpointed{' '}
            {new Date(run.savedAt).toLocaleString()}): {stopped ? `stopped ${describePlace(run.place)}, ` : ''}epoch{' '}
            {epoch} of {run.epochs} done
            {run.lastValAccuracy !== null ? `, validation accuracy ${formatPercent(run.lastValAccuracy, 2)}` : ''} ·
            maxlen {run.settings.maxlen} · {formatCount(run.settings.trainReviews)} training reviews · engine{' '}
            {run.engine}.{' '}
            <button type="button" onClick={() => onResume(run)} disabled={busy}>
              {stopped
                ? `Go on from epoch ${epoch + 1} of ${run.epochs}`
                : `Resume from epoch ${epoch} of ${run.epochs}`}
            </button>{' '}
            <button type="button" className="secondary" onClick={() => onDiscard(run.key)} disabled={busy}>
              Discard
            </button>
          </p>
        );
      })}
    </div>
  );
}
