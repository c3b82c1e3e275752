import { useCallback, useEffect, useRef, useState } from 'react';
import type { Classification, LeaveOneOut } from '../../inference/reviewClassifier';
import type { InferenceClient } from '../../workers/inference/client';
import { LatestOnly } from '../models/latest';

/** Wait this long after the last keystroke: fast enough to feel live, and no work per key in a burst. */
export const DEBOUNCE_MS = 120;

export interface ClassifyState {
  text: string;
  /** The newest finished classification, for `resultText` (never an older text's). */
  result: Classification | null;
  resultText: string;
  /** Keystroke-to-answer time of `result`, including the debounce wait. */
  roundTripMs: number | null;
  /** A newer text is waiting for its answer. */
  pending: boolean;
  error: string | null;
}

interface Query {
  text: string;
  modelVersion: number;
  typedAt: number;
}

/** Classifies the text as it is typed: debounced, one request at a time, newest always wins. */
export function useClassify(client: InferenceClient | null, modelVersion: number | null) {
  const [state, setState] = useState<ClassifyState>({
    text: '',
    result: null,
    resultText: '',
    roundTripMs: null,
    pending: false,
    error: null,
  });
  const latest = useRef<LatestOnly<Query, Classification> | null>(null);
  const timer = useRef<number | null>(null);
  const textRef = useRef('');
  const typedAt = useRef(0);

  useEffect(() => {
    if (!client) return;
    latest.current = new LatestOnly<Query, Classification>(
      (q) => client.classify(q.text),
      (q, outcome) =>
        setState((s) =>
          'result' in outcome
            ? {
                ...s,
                result: outcome.result,
                resultText: q.text,
                roundTripMs: performance.now() - q.typedAt,
                pending: false,
                error: null,
              }
            : { ...s, pending: false, error: outcome.error.message },
        ),
    );
    return () => {
      latest.current?.cancel();
      latest.current = null;
    };
  }, [client]);

  const submitNow = useCallback(() => {
    timer.current = null;
    const text = textRef.current;
    if (modelVersion === null || !latest.current) return;
    latest.current.submit({ text, modelVersion, typedAt: typedAt.current });
  }, [modelVersion]);

  const setText = useCallback(
    (text: string) => {
      textRef.current = text;
      typedAt.current = performance.now();
      if (timer.current !== null) window.clearTimeout(timer.current);
      if (text.trim() === '') {
        // Nothing to classify: drop whatever was on its way, show the hint.
        latest.current?.cancel();
        timer.current = null;
        setState((s) => ({ ...s, text, result: null, resultText: '', roundTripMs: null, pending: false, error: null }));
        return;
      }
      setState((s) => ({ ...s, text, pending: modelVersion !== null }));
      timer.current = window.setTimeout(submitNow, DEBOUNCE_MS);
    },
    [modelVersion, submitNow],
  );

  // A different model: read the same text again with it.
  useEffect(() => {
    if (modelVersion === null || textRef.current.trim() === '') return;
    typedAt.current = performance.now();
    submitNow();
  }, [modelVersion, submitNow]);

  useEffect(
    () => () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
    },
    [],
  );

  /** For each word of `text`, the prediction without it (computed in the worker on request). */
  const requestLeaveOneOut = useCallback(
    (text: string): Promise<LeaveOneOut> =>
      client ? client.leaveOneOut(text) : Promise.reject(new Error('No model is loaded.')),
    [client],
  );

  return { ...state, setText, requestLeaveOneOut };
}
