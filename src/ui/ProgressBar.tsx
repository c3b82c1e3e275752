interface ProgressBarProps {
  label: string;
  done: number;
  total: number;
  detail: string;
}

export function ProgressBar({ label, done, total, detail }: ProgressBarProps) {
  // Nothing to do (total 0) counts as done.
  const fraction = total > 0 ? Math.min(done / total, 1) : 1;
  return (
    <div className="progress" data-testid={`progress-${label.toLowerCase()}`}>
      <div className="progress-label">
        <span>{label}</span>
        <span className="muted">{detail}</span>
      </div>
      <div
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(fraction * 100)}
      >
        <div className="progress-fill" style={{ width: `${fraction * 100}%` }} />
      </div>
    </div>
  );
}
