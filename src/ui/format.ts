const integer = new Intl.NumberFormat('en-US');

export const formatCount = (n: number): string => integer.format(n);
export const formatPercent = (share: number, digits = 1): string => `${(share * 100).toFixed(digits)}%`;
export const formatMegabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
export const formatSeconds = (ms: number): string =>
  ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
