import type { CheckpointSummary } from '../../storage/checkpointStore';
import { formatCount, formatPercent } from '../format';

/** Runs a reload, a closed tab or a crash interrupted: each can resume from its last checkpoint. */
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
      {unfinished.map((run) => (
        <p key={run.key} data-testid="unfinished-run" data-epoch={run.epoch}>
          <strong>An unfinished run</strong> (checkpointed {new Date(run.savedAt).toLocaleString()}): epoch {run.epoch}{' '}
          of {run.epochs} done
          {run.lastValAccuracy !== null ? `, validation accuracy ${formatPercent(run.lastValAccuracy, 2)}` : ''} ·
          maxlen {run.settings.maxlen} · {formatCount(run.settings.trainReviews)} training reviews · engine {run.engine}
          .{' '}
          <button type="button" onClick={() => onResume(run)} disabled={busy}>
            Resume from epoch {run.epoch} of {run.epochs}
          </button>{' '}
          <button type="button" className="secondary" onClick={() => onDiscard(run.key)} disabled={busy}>
            Discard
          </button>
        </p>
      ))}
    </div>
  );
}
