import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/data/random';
import { accuracyAt, bestThreshold, calibration, mostConfidentMistakes, testReport } from '../../src/training/report';

/** AUC by its definition: the share of (positive, negative) pairs ranked right, ties counting half. */
function pairwiseAuc(p: number[], y: number[]): number {
  let right = 0;
  let pairs = 0;
  for (let i = 0; i < p.length; i++)
    for (let j = 0; j < p.length; j++)
      if (y[i] === 1 && y[j] === 0) {
        pairs++;
        right += p[i]! > p[j]! ? 1 : p[i] === p[j] ? 0.5 : 0;
      }
  return right / pairs;
}

describe('the test report', () => {
  it('gives AUC 1 for a perfect ranking, 0 for a reversed one and 0.5 when every score ties', () => {
    const labels = [0, 0, 1, 1];
    expect(testReport([0.1, 0.2, 0.8, 0.9], labels).auc).toBe(1);
    expect(testReport([0.9, 0.8, 0.2, 0.1], labels).auc).toBe(0);
    expect(testReport([0.5, 0.5, 0.5, 0.5], labels).auc).toBe(0.5);
  });

  it('matches the pairwise definition of AUC on random scores with ties', () => {
    const random = seededRandom(3);
    const y = Array.from({ length: 400 }, () => (random() < 0.4 ? 1 : 0));
    // Rounded to two decimals: many ties.
    const p = y.map((label) => Math.round(Math.min(1, Math.max(0, 0.3 * label + 0.7 * random())) * 100) / 100);
    const report = testReport(p, y);
    expect(report.auc).toBeCloseTo(pairwiseAuc(p, y), 12);
    expect(report.roc[0]).toMatchObject({ x: 0, y: 0 });
    expect(report.roc.at(-1)).toMatchObject({ x: 1, y: 1 });
    expect(report.pr.at(-1)!.x).toBe(1);
    expect(report.pr.at(-1)!.y).toBeCloseTo(report.positives / report.count, 12);
  });

  it('says clearly when one class is missing, and refuses mismatched input', () => {
    expect(() => testReport([0.2, 0.9], [1, 1])).toThrow(
      'All 2 reviews are positive: ROC and precision-recall curves need both classes.',
    );
    expect(() => testReport([0.2], [0, 1])).toThrow('1 predictions for 2 labels');
    expect(() => testReport([], [])).toThrow('no reviews');
  });

  it('bins probabilities for the reliability chart', () => {
    const bins = calibration([0.05, 0.15, 0.12, 0.95, 1], [0, 0, 1, 1, 1], 10);
    expect(bins.map((b) => [b.from, b.count, b.positiveRate])).toEqual([
      [0, 1, 0],
      [0.1, 2, 0.5],
      [0.9, 2, 1],
    ]);
    expect(bins[1]!.meanProbability).toBeCloseTo(0.135, 12);
  });

  it('finds the threshold with the best accuracy, by brute force over every candidate', () => {
    const random = seededRandom(9);
    const y = Array.from({ length: 300 }, () => (random() < 0.5 ? 1 : 0));
    // A model biased towards positive: its best threshold is above 0.5.
    const p = y.map((label) => Math.min(1, 0.25 + 0.4 * label + 0.45 * random()));
    const best = bestThreshold(p, y);
    const brute = Math.max(...[...p, 1.01].map((t) => accuracyAt(p, y, t)));
    expect(best.accuracy).toBeCloseTo(brute, 12);
    expect(accuracyAt(p, y, best.threshold)).toBeCloseTo(best.accuracy, 12);
    expect(best.threshold).toBeGreaterThan(0.5);
  });
});

describe('the most confidently wrong reviews', () => {
  it('lists each kind of mistake, most confident first', () => {
    const labels = [0, 0, 0, 1, 1, 1];
    const probabilities = [0.6, 0.95, 0.2, 0.1, 0.4, 0.9];
    expect(mostConfidentMistakes(labels, probabilities, 'false-positive')).toEqual([1, 0]);
    expect(mostConfidentMistakes(labels, probabilities, 'false-negative')).toEqual([3, 4]);
  });
});
