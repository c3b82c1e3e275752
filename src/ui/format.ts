const integer = new Intl.NumberFormat('en-US');

export const formatCount = (n: number): string => integer.format(n);
export const formatPercent = (share: number, digits = 1): string => `${(share * 100).toFixed(digits)}%`;
export const formatMegabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
export const formatSeconds = (ms: number): string =>
  ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;

/** "45 s", "3 min 5 s", "1 h 12 min": rounded to whole seconds first, so no unit ever reads 60. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const total = Math.round(seconds);
  if (total < 60) return `${total} s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes} min ${total % 60} s`;
  const totalMinutes = Math.round(total / 60);
  return `${Math.floor(totalMinutes / 60)} h ${totalMinutes % 60} min`;
}

/** "1 thread", "2 threads". */
export const formatThreads = (threads: number): string => `${threads} ${threads === 1 ? 'thread' : 'threads'}`;
