import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LengthStats } from '../text/lengthStats';
import { formatCount } from './format';

interface LengthHistogramProps {
  stats: LengthStats;
  maxlen: number;
}

/** Review lengths in tokens, with the maxlen cut marked. */
export function LengthHistogram({ stats, maxlen }: LengthHistogramProps) {
  const data = stats.bins.map((bin) => ({
    start: bin.from,
    label: Number.isFinite(bin.to) ? `${bin.from}–${bin.to}` : `${bin.from}+`,
    count: bin.count,
  }));
  const binWidth = stats.bins.length > 0 ? stats.bins[0]!.to - stats.bins[0]!.from + 1 : 1;
  const maxlenBin = data.find((d) => d.start <= maxlen && maxlen < d.start + binWidth)?.label;
  return (
    <figure className="chart" data-testid="length-histogram">
      <figcaption>Review length in tokens (training reviews)</figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} margin={{ top: 16, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" interval={3} tick={{ fontSize: 11 }} />
          <YAxis tick={{ fontSize: 11 }} tickFormatter={(v: number) => formatCount(v)} />
          <Tooltip formatter={(value) => [formatCount(Number(value)), 'reviews']} />
          <Bar dataKey="count" fill="#5b7bd5" isAnimationActive={false} />
          {maxlenBin && (
            <ReferenceLine
              x={maxlenBin}
              stroke="#d14b4b"
              strokeWidth={2}
              label={{ value: `maxlen ${maxlen}`, position: 'top', fill: '#d14b4b', fontSize: 12 }}
            />
          )}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
