/**
 * A test report (training/report.ts) put together from probabilities: the curves of the test
 * predictions, and the threshold chosen on the validation predictions with the test accuracy it
 * gives. The one assembly both a finished run (the training worker) and a saved model's report on
 * demand (the inference worker) use, so the two reports are the same computation.
 */
import { accuracyAt, bestThreshold, testReport, type TestReport } from '../training/report';
import type { RunReport } from '../workers/train/api';

export interface ScoredRows {
  probabilities: ArrayLike<number>;
  labels: ArrayLike<number>;
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** `validation`: the validation split's predictions, or why there are none (a note in the report). */
export function assembleReport(test: ScoredRows, validation: ScoredRows | string): RunReport {
  const notes: string[] = [];
  let curves: TestReport | null = null;
  try {
    curves = testReport(test.probabilities, test.labels);
  } catch (error) {
    notes.push(`No ROC or precision-recall curve: ${reason(error)}`);
  }
  let threshold: RunReport['threshold'] = null;
  if (typeof validation === 'string') notes.push(validation);
  else {
    try {
      const best = bestThreshold(validation.probabilities, validation.labels);
      threshold = {
        value: best.threshold,
        validationAccuracy: best.accuracy,
        testAccuracy: accuracyAt(test.probabilities, test.labels, best.threshold),
      };
    } catch (error) {
      notes.push(`No threshold: ${reason(error)}`);
    }
  }
  return { test: curves, threshold, notes };
}

export const NO_VALIDATION_SPLIT = 'No validation split, so no threshold chosen on it.';
