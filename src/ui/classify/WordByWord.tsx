import { useEffect, useState } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Classification, LeaveOneOut } from '../../inference/reviewClassifier';
import type { ReadToken } from '../../inference/readReview';
import { RadioGroup } from '../RadioGroup';

export type ExplainMode = 'as-read' | 'leave-one-out';

/** A word's effect on the prediction, in logits: positive pushes towards "positive". */
export interface WordShare {
  effect: number;
  /** Shown to people (title, table) and screen readers. */
  description: string;
}

const logit = (p: number) => Math.log(p / (1 - p));
const percent = (p: number) => `${(p * 100).toFixed(1)}%`;
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`;

/** Each read word's effect in the chosen mode, by its reading step. */
export function wordShares(
  result: Classification,
  mode: ExplainMode,
  leaveOneOut: LeaveOneOut | null,
): Map<number, WordShare> {
  const shares = new Map<number, WordShare>();
  if (result.probability === null) return shares;
  if (mode === 'as-read') {
    result.words.forEach((word, step) =>
      shares.set(step, {
        effect: word.change,
        description:
          `P(positive) after this word ${percent(word.probability)}, logit change ${signed(word.change)}` +
          (word.features ? featureWeights(word.features) : ''),
      }),
    );
  } else if (leaveOneOut?.probabilities) {
    const full = logit(result.probability);
    leaveOneOut.probabilities.forEach((without, step) =>
      shares.set(step, {
        effect: full - logit(without),
        description: `P(positive) without this word ${percent(without)}, its share ${signed(full - logit(without))} in logit`,
      }),
    );
  }
  return shares;
}

/** The baseline's n-grams a word completed, with their weights: its own explanation. */
function featureWeights(features: { text: string; weight: number }[]): string {
  if (features.length === 0) return ' (no new n-gram of the dictionary)';
  return ` = ${features.map((f) => `“${f.text}” ${signed(f.weight)}`).join(' + ')}`;
}

/** Green towards positive, red towards negative; the stronger the colour, the bigger the effect. */
export function effectColor(effect: number, largest: number): string {
  const strength = largest > 0 ? Math.min(1, Math.abs(effect) / largest) : 0;
  const [r, g, b] = effect >= 0 ? [46, 160, 67] : [207, 34, 46];
  return `rgb(${r} ${g} ${b} / ${(0.08 + 0.62 * strength).toFixed(2)})`;
}

interface Point {
  x: number;
  word: string;
  p: number;
}

function PrefixChart({ result, tokens, reader }: { result: Classification; tokens: ReadToken[]; reader: string }) {
  const byStep = new Map(tokens.filter((t) => t.step !== null).map((t) => [t.step!, t.word]));
  const data: Point[] = [
    { x: 0, word: '(padding)', p: result.startProbability ?? 0.5 },
    ...result.words.map((w, step) => ({ x: step + 1, word: byStep.get(step) ?? `word ${step + 1}`, p: w.probability })),
  ];
  return (
    <figure className="chart prefix-chart" data-testid="prefix-chart" data-points={result.words.length}>
      <figcaption className="small">P(positive) after each word, as {reader} reads the review left to right</figcaption>
      <ResponsiveContainer width="100%" height={170}>
        <LineChart data={data} margin={{ top: 6, right: 12, bottom: 2, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="x"
            type="number"
            domain={[0, data.length - 1]}
            allowDecimals={false}
            tick={{ fontSize: 11 }}
          />
          <YAxis
            domain={[0, 1]}
            tickFormatter={(v: number) => `${Math.round(v * 100)}%`}
            tick={{ fontSize: 11 }}
            width={42}
          />
          <ReferenceLine y={0.5} stroke="#8b93a6" strokeDasharray="4 3" />
          <Tooltip
            formatter={(value) => percent(Number(value))}
            labelFormatter={(_, payload) => {
              const point = payload?.[0]?.payload as Point | undefined;
              return point ? `${point.x}: ${point.word}` : '';
            }}
          />
          <Line dataKey="p" name="P(positive)" stroke="#3f63cf" dot={false} isAnimationActive={false} strokeWidth={2} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

export interface LeaveOneOutState {
  /** Nothing yet for this text (the worker is computing it). */
  pending: boolean;
  outcome: LeaveOneOut | null;
  error: string | null;
}

/** Leave-one-out for `text`, asked of the worker when that mode is on and the text or the model changes. */
export function useLeaveOneOut(
  mode: ExplainMode,
  text: string,
  modelVersion: number,
  request: (text: string) => Promise<LeaveOneOut>,
): LeaveOneOutState {
  const key = `${modelVersion}\n${text}`;
  const [answer, setAnswer] = useState<{ key: string; outcome: LeaveOneOut | null; error: string | null }>({
    key: '',
    outcome: null,
    error: null,
  });
  const fresh = answer.key === key;
  useEffect(() => {
    if (mode !== 'leave-one-out' || fresh) return;
    let cancelled = false;
    request(text).then(
      (outcome) => !cancelled && setAnswer({ key, outcome, error: null }),
      (error: unknown) =>
        !cancelled && setAnswer({ key, outcome: null, error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      cancelled = true;
    };
  }, [mode, fresh, key, text, request]);
  return fresh
    ? { pending: false, outcome: answer.outcome, error: answer.error }
    : { pending: true, outcome: null, error: null };
}

/**
 * Why the model decides: the prefix chart, a mode switch for the words' colours (the change as the
 * LSTM read each word, or the exact effect of leaving each word out, computed on request in the
 * worker), the colour legend, and every word's figures as a table for screen readers and the curious.
 */
export function WordByWord({
  result,
  mode,
  onMode,
  leaveOneOut,
  shares,
  reader,
}: {
  result: Classification;
  mode: ExplainMode;
  onMode: (mode: ExplainMode) => void;
  leaveOneOut: LeaveOneOutState;
  shares: Map<number, WordShare>;
  /** Who reads: "the LSTM" or "the baseline". */
  reader: string;
}) {
  const tokens = result.reading.tokens;
  return (
    <div className="word-by-word" data-testid="word-by-word">
      <h3 className="small-heading">Word by word</h3>
      <PrefixChart result={result} tokens={tokens} reader={reader} />
      <RadioGroup
        name="explain-mode"
        label="How the words are coloured"
        options={[
          ['as-read', 'Change as read'],
          ['leave-one-out', 'Leave one word out'],
        ]}
        value={mode}
        onChange={onMode}
      />
      {mode === 'leave-one-out' && leaveOneOut.pending && (
        <p className="muted small">Computing one prediction per word…</p>
      )}
      {mode === 'leave-one-out' && leaveOneOut.error && (
        <p className="error small" role="alert">
          {leaveOneOut.error}
        </p>
      )}
      {mode === 'leave-one-out' && leaveOneOut.outcome?.unavailable && (
        <p className="hint small" data-testid="leave-one-out-unavailable">
          {leaveOneOut.outcome.unavailable}
        </p>
      )}
      {mode === 'leave-one-out' && leaveOneOut.outcome?.probabilities && (
        <p className="muted small" data-testid="leave-one-out-time">
          {leaveOneOut.outcome.probabilities.length} predictions in {leaveOneOut.outcome.milliseconds.toFixed(0)} ms in
          the worker.
        </p>
      )}
      <p className="legend small muted" data-testid="word-legend">
        Word colours:{' '}
        <span className="swatch" style={{ background: effectColor(1, 1) }}>
          towards positive
        </span>{' '}
        <span className="swatch" style={{ background: effectColor(-1, 1) }}>
          towards negative
        </span>{' '}
        — the stronger the colour, the more the word moved the prediction (
        {mode === 'as-read'
          ? `the change in logit from the word before it, as ${reader} read it`
          : 'the logit with the word against the logit without it'}
        ). Hover a word for its figures.
      </p>
      {/* Always mounted, so it stays open while leave-one-out is computed. */}
      <details className="small">
        <summary>Every word in numbers</summary>
        <table className="word-table" data-testid="word-table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">word</th>
              <th scope="col">{mode === 'as-read' ? 'P(positive) after it' : 'P(positive) without it'}</th>
              <th scope="col">{mode === 'as-read' ? 'logit change' : 'its share in logit'}</th>
            </tr>
          </thead>
          <tbody>
            {tokens
              .filter((t) => t.step !== null && shares.has(t.step))
              .map((t) => {
                const step = t.step!;
                const p =
                  mode === 'as-read' ? result.words[step]!.probability : leaveOneOut.outcome!.probabilities![step]!;
                return (
                  <tr key={step} data-word={t.word} data-p={String(p)}>
                    <td>{step + 1}</td>
                    <td>{t.word}</td>
                    <td>{percent(p)}</td>
                    <td>{signed(shares.get(step)!.effect)}</td>
                  </tr>
                );
              })}
          </tbody>
        </table>
      </details>
    </div>
  );
}
