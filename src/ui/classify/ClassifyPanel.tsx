import { useState } from 'react';
import type { Classification, LeaveOneOut } from '../../inference/reviewClassifier';
import { formatCount } from '../format';
import type { CurrentModel } from '../models/useModels';
import { EXAMPLES } from './examples';
import type { ClassifyState } from './useClassify';
import { Token } from './Token';
import { useLeaveOneOut, WordByWord, wordShares, type ExplainMode, type WordShare } from './WordByWord';

interface ClassifyPanelProps {
  classify: ClassifyState & {
    setText: (text: string) => void;
    requestLeaveOneOut: (text: string) => Promise<LeaveOneOut>;
  };
  current: CurrentModel | null;
  busy: string | null;
}

const FORWARD_PASS_TEXT: Record<Classification['forwardPass']['kind'], (note: string | null) => string> = {
  wasm: () => 'by the WebAssembly SIMD kernels',
  plain: (note) => `by the plain TypeScript pass (${note ?? 'no WebAssembly'})`,
  linear: (note) => `by the baseline's linear model (${note ?? 'n-gram weights'})`,
};

function ProbabilityBar({ probability }: { probability: number }) {
  const positive = probability >= 0.5;
  return (
    <div className="probability">
      <div className="probability-head">
        <span className={positive ? 'tag positive' : 'tag negative'} data-testid="predicted-label">
          {positive ? 'positive' : 'negative'}
        </span>
        <strong data-testid="probability" data-probability={String(probability)}>
          {(probability * 100).toFixed(1)}%
        </strong>
        <span className="muted">probability of “positive”</span>
      </div>
      <div
        className="probability-track"
        role="meter"
        aria-label="Probability of positive"
        aria-valuemin={0}
        aria-valuemax={1}
        aria-valuenow={probability}
      >
        <div className="probability-fill" style={{ width: `${probability * 100}%` }} />
        <div className="probability-mid" />
      </div>
    </div>
  );
}

function Reading({
  result,
  current,
  shares,
}: {
  result: Classification;
  current: CurrentModel;
  shares: Map<number, WordShare>;
}) {
  const { reading } = result;
  const largest = Math.max(0, ...[...shares.values()].map((s) => Math.abs(s.effect)));
  const truncating = current.kind === 'lstm' ? current.metadata.truncating : 'post';
  const maxlen = current.kind === 'lstm' ? current.metadata.maxlen : reading.words;
  return (
    <div className="reading" data-testid="reading">
      {current.kind === 'lstm' ? (
        <p className="muted small">
          {formatCount(reading.words)} words → {formatCount(reading.sequenceLength)} ids → padded to {maxlen}
          {' · '}
          <span data-testid="oov-count">{formatCount(reading.oovWords)}</span> out of vocabulary
          {current.metadata.numWords !== null && ` (numWords ${formatCount(current.metadata.numWords)})`}
        </p>
      ) : (
        <p className="muted small" data-testid="baseline-reading">
          {formatCount(reading.words)} words, every one read → {formatCount(result.ngrams?.unigrams ?? 0)} unigrams and{' '}
          {formatCount(result.ngrams?.bigrams ?? 0)} bigrams of its dictionary, each counted once{' · '}
          <span data-testid="oov-count">{formatCount(reading.oovWords)}</span> words not in it
        </p>
      )}
      {reading.truncated && (
        <p className="hint" data-testid="truncated-note">
          Truncated as in training: the model reads only {truncating === 'pre' ? 'the last' : 'the first'} {maxlen} of{' '}
          {formatCount(reading.sequenceLength)} ids; {formatCount(reading.truncatedIds)} were cut.
        </p>
      )}
      <div className="tokens" data-testid="tokens">
        {reading.tokensFrom > 0 && <span className="muted">… {formatCount(reading.tokensFrom)} earlier words </span>}
        {reading.tokens.map((token, i) => (
          <Token
            key={reading.tokensFrom + i}
            token={token}
            share={token.step === null ? undefined : shares.get(token.step)}
            largest={largest}
          />
        ))}
        {reading.tokensFrom + reading.tokens.length < reading.words && (
          <span className="muted">
            {' '}
            … {formatCount(reading.words - reading.tokensFrom - reading.tokens.length)} more words
          </span>
        )}
      </div>
      <p className="legend small muted">
        <span className="token kept">read</span> <span className="token oov">out of vocabulary</span>{' '}
        <span className="token truncated">cut by truncation</span>
      </p>
    </div>
  );
}

function Outcome({ classify, current }: { classify: ClassifyPanelProps['classify']; current: CurrentModel }) {
  const { text, result, resultText, roundTripMs, pending, error } = classify;
  const [mode, setMode] = useState<ExplainMode>('as-read');
  const leaveOneOut = useLeaveOneOut(mode, resultText, current.version, classify.requestLeaveOneOut);
  if (text.trim() === '')
    return (
      <p className="hint" data-testid="classify-hint">
        Type or paste a review (or pick an example) to see the probability that it is positive.
      </p>
    );
  if (error)
    return (
      <div className="error" role="alert">
        {error}
      </div>
    );
  if (!result) return <p className="muted">Reading…</p>;
  const stale = pending || resultText !== text;
  const shares = wordShares(result, mode, leaveOneOut.outcome);
  return (
    <div className={stale ? 'outcome stale' : 'outcome'} data-testid="outcome" data-stale={stale}>
      {result.probability === null ? (
        <p className="hint" data-testid="classify-hint">
          No words to read: the tokenizer removes punctuation and symbols, so there is nothing to classify.
        </p>
      ) : (
        <>
          <ProbabilityBar probability={result.probability} />
          {result.reading.sequenceLength === 0 && (
            <p className="hint" data-testid="oov-note">
              None of these words are in the model’s vocabulary, so it only sees padding: this prediction says nothing
              about the text.
            </p>
          )}
          <p className="muted small" data-testid="prediction-time">
            Predicted in {result.milliseconds.toFixed(result.milliseconds < 1 ? 2 : 1)} ms in the worker
            {roundTripMs !== null && ` (${Math.round(roundTripMs)} ms after the last keystroke)`},{' '}
            <span data-testid="forward-pass" title={result.forwardPass.note ?? undefined}>
              {FORWARD_PASS_TEXT[result.forwardPass.kind](result.forwardPass.note)}
            </span>
            .
          </p>
        </>
      )}
      <Reading result={result} current={current} shares={shares} />
      {result.probability !== null && result.words.length > 0 && (
        <WordByWord
          result={result}
          mode={mode}
          onMode={setMode}
          leaveOneOut={leaveOneOut}
          shares={shares}
          reader={current.kind === 'lstm' ? 'the LSTM' : 'the baseline'}
        />
      )}
    </div>
  );
}

export function ClassifyPanel({ classify, current, busy }: ClassifyPanelProps) {
  return (
    <section className="card" aria-labelledby="classify-title">
      <h2 id="classify-title">3 · Classify</h2>
      <p className="muted">
        Type a review: it is read exactly as the training reviews were (same tokenizer, <code>numWords</code>,{' '}
        <code>maxlen</code> and padding; the baseline reads every word), and the probability updates as you type.
      </p>
      {current ? (
        <p className="small" data-testid="classify-model">
          Model: <strong>{current.name}</strong>
        </p>
      ) : (
        <p className="hint" data-testid="no-model">
          {busy ?? 'No model yet: train one above, or load a saved or downloaded one below.'}
        </p>
      )}
      <div className="examples" role="group" aria-label="Example reviews">
        {EXAMPLES.map((example) => (
          <button
            key={example.label}
            type="button"
            className="secondary small-button"
            onClick={() => classify.setText(example.text)}
          >
            {example.label}
          </button>
        ))}
      </div>
      <textarea
        className="review-input"
        aria-label="Review"
        data-testid="review-input"
        rows={5}
        placeholder="Write a movie review…"
        value={classify.text}
        onChange={(e) => classify.setText(e.target.value)}
      />
      {current && <Outcome classify={classify} current={current} />}
    </section>
  );
}
