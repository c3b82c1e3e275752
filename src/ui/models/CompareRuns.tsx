import { useEffect, useMemo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AnyBundle } from '../../baseline/bundle';
import { formatPercent } from '../format';
import {
  chartData,
  COMPARE_MAX,
  COMPARE_MIN,
  comparedRun,
  metricRows,
  overlayRows,
  type ComparedRun,
  type OverlayRow,
} from './comparison';

/** One colour per compared run (at most COMPARE_MAX), told apart in greyscale too by dashes. */
const COLOURS = ['#3f63cf', '#d9822b', '#2f9e6e', '#a23fb5'];
const DASHES = ['', '6 3', '2 3', '8 3 2 3'];

function Overlay({
  title,
  testId,
  rows,
  which,
  runs,
  format,
}: {
  title: string;
  testId: string;
  rows: readonly OverlayRow[];
  which: 'valLoss' | 'valAccuracy';
  runs: readonly ComparedRun[];
  format: (value: number) => string;
}) {
  const data = useMemo(() => chartData(rows, which), [rows, which]);
  return (
    // The table below is the text alternative: the chart itself is hidden from screen readers.
    <figure className="chart compare-chart" data-testid={testId} aria-hidden="true">
      <figcaption className="small">{title}</figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={data} margin={{ top: 8, right: 18, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="epoch" type="number" domain={[1, 'dataMax']} allowDecimals={false} tick={{ fontSize: 11 }} />
          <YAxis
            domain={['auto', 'auto']}
            tick={{ fontSize: 11 }}
            width={46}
            tickFormatter={(v: number) => format(v)}
          />
          <Tooltip formatter={(value) => format(Number(value))} labelFormatter={(epoch) => `epoch ${epoch}`} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {runs.map((run, i) => (
            <Line
              key={run.savedId}
              dataKey={`run${i}`}
              name={run.name}
              stroke={COLOURS[i]}
              strokeDasharray={DASHES[i]}
              strokeWidth={2}
              dot={{ r: 3 }}
              isAnimationActive={false}
              connectNulls={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

const dash = (value: number | null, show: (v: number) => string) => (value === null ? '–' : show(value));

/** The curves in numbers: one row per epoch, each run's validation loss and accuracy. */
function CurvesTable({ rows, runs }: { rows: readonly OverlayRow[]; runs: readonly ComparedRun[] }) {
  return (
    <div className="table-scroll">
      <table className="counts compare-table" data-testid="compare-curves-table">
        <caption>Validation loss and accuracy per epoch (the charts above, in numbers)</caption>
        <thead>
          <tr>
            <th scope="col">epoch</th>
            {runs.map((run) => (
              <th scope="col" key={run.savedId} colSpan={2} data-testid="compare-run-heading">
                {run.name}
              </th>
            ))}
          </tr>
          <tr>
            <th scope="col" />
            {runs.map((run) => [
              <th scope="col" key={`${run.savedId}-loss`}>
                val loss
              </th>,
              <th scope="col" key={`${run.savedId}-acc`}>
                val accuracy
              </th>,
            ])}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.epoch}>
              <th scope="row">{row.epoch}</th>
              {runs.map((run, i) => [
                <td key={`${run.savedId}-loss`}>{dash(row.valLoss[i]!, (v) => v.toFixed(4))}</td>,
                <td key={`${run.savedId}-acc`}>{dash(row.valAccuracy[i]!, (v) => formatPercent(v, 2))}</td>,
              ])}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MetricsTable({ runs }: { runs: readonly ComparedRun[] }) {
  const rows = metricRows(runs);
  return (
    <div className="table-scroll">
      <table className="counts compare-table compare-metrics" data-testid="compare-metrics">
        <caption>Side by side</caption>
        <thead>
          <tr>
            <th scope="col" />
            {runs.map((run) => (
              <th scope="col" key={run.savedId}>
                {run.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label} data-metric={row.label}>
              <th scope="row">{row.label}</th>
              {row.cells.map((cell, i) => (
                <td key={runs[i]!.savedId}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The saved runs ticked in the list, compared: their validation curves overlaid (loss and accuracy
 * per epoch), the same figures as a table, and their test metrics side by side. Each run's
 * metadata is read from its saved bundle (without making it the current model).
 */
export function CompareRuns({
  selected,
  names,
  readSaved,
}: {
  /** Saved ids, in the order they were ticked. */
  selected: readonly number[];
  names: ReadonlyMap<number, string>;
  readSaved: (id: number) => Promise<AnyBundle>;
}) {
  const [loaded, setLoaded] = useState<{ key: string; runs: ComparedRun[] } | { key: string; error: string } | null>(
    null,
  );
  const key = selected.map((id) => `${id}:${names.get(id) ?? ''}`).join(',');
  const enough = selected.length >= COMPARE_MIN;
  useEffect(() => {
    if (!enough) return;
    let cancelled = false;
    Promise.all(selected.map(async (id) => comparedRun(id, names.get(id) ?? '', (await readSaved(id)).metadata))).then(
      (runs) => !cancelled && setLoaded({ key, runs }),
      (error: unknown) =>
        !cancelled && setLoaded({ key, error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      cancelled = true;
    };
    // `key` names the selection and its names.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, enough, readSaved]);

  const current = loaded?.key === key ? loaded : null;
  const runs = current && 'runs' in current ? current.runs : null;
  const rows = useMemo(() => (runs ? overlayRows(runs) : []), [runs]);
  return (
    <section className="compare" data-testid="compare" aria-labelledby="compare-title">
      <h3 id="compare-title">Compare runs</h3>
      {!enough ? (
        <p className="muted small" data-testid="compare-hint">
          Tick {COMPARE_MIN} to {COMPARE_MAX} saved runs (LSTM or baseline) in the list above to overlay their
          validation curves and set their test metrics side by side
          {selected.length === 1 ? ' (one is ticked)' : ''}.
        </p>
      ) : current && 'error' in current ? (
        <div className="error" role="alert">
          Could not read the runs to compare: {current.error}
        </div>
      ) : !runs ? (
        <p className="muted small">Reading the saved runs…</p>
      ) : (
        <>
          {runs.some((run) => !run.history) && (
            <p className="hint small" data-testid="compare-no-history">
              No per-epoch history for{' '}
              {runs
                .filter((run) => !run.history)
                .map((run) => run.name)
                .join(', ')}
              : saved before runs kept it, so only their final figures are compared.
            </p>
          )}
          {rows.length > 0 && (
            <div className="report-charts">
              <Overlay
                title="Validation loss per epoch"
                testId="compare-loss-chart"
                rows={rows}
                which="valLoss"
                runs={runs}
                format={(v) => v.toFixed(3)}
              />
              <Overlay
                title="Validation accuracy per epoch"
                testId="compare-accuracy-chart"
                rows={rows}
                which="valAccuracy"
                runs={runs}
                format={(v) => formatPercent(v, 1)}
              />
            </div>
          )}
          {rows.length > 0 && <CurvesTable rows={rows} runs={runs} />}
          <MetricsTable runs={runs} />
        </>
      )}
    </section>
  );
}
