import { useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';

/**
 * Draws one tiny, invisible chart while the page is idle, then removes it. The first chart a page
 * mounts pays for compiling recharts' code (about 100 ms in one task on a slow machine); paid here,
 * in idle time, the histogram that appears when 50,000 reviews finish loading no longer freezes the
 * page at that moment.
 */
export function ChartWarmUp() {
  const [done, setDone] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setDone(true), 0);
    return () => clearTimeout(timer);
  }, []);
  if (done) return null;
  return (
    <div aria-hidden="true" style={{ position: 'absolute', width: 0, height: 0, overflow: 'hidden' }}>
      {/* The parts the dataset histogram uses, so each one's code is compiled here. */}
      <BarChart width={40} height={40} data={[{ label: 'a', n: 1 }]}>
        <CartesianGrid vertical={false} />
        <XAxis dataKey="label" />
        <YAxis />
        <Tooltip />
        <Bar dataKey="n" isAnimationActive={false} />
        <ReferenceLine x="a" label={{ value: 'a', position: 'top' }} />
      </BarChart>
    </div>
  );
}
