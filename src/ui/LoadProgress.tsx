import type { LoadPhase, PhaseProgress } from '../data/dataset';
import { formatCount, formatMegabytes } from './format';
import { ProgressBar } from './ProgressBar';
import type { PhaseProgressMap } from './useDataset';

const SHOWN: Array<{ phase: LoadPhase; label: string }> = [
  { phase: 'download', label: 'Download' },
  { phase: 'verify', label: 'Verify' },
  { phase: 'tokenize', label: 'Tokenize' },
];

function describe(progress: PhaseProgress | undefined): string {
  if (!progress) return 'waiting';
  if (progress.total === 0) return 'already in memory';
  if (progress.unit === 'bytes') return `${formatMegabytes(progress.done)} / ${formatMegabytes(progress.total)}`;
  return `${formatCount(progress.done)} / ${formatCount(progress.total)} ${progress.unit}`;
}

export function LoadProgress({ progress }: { progress: PhaseProgressMap }) {
  return (
    <div className="load-progress" aria-live="polite">
      {SHOWN.map(({ phase, label }) => {
        const p = progress[phase];
        return <ProgressBar key={phase} label={label} done={p?.done ?? 0} total={p?.total ?? 1} detail={describe(p)} />;
      })}
    </div>
  );
}
