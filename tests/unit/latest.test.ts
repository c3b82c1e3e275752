import { describe, expect, it } from 'vitest';
import { LatestOnly } from '../../src/ui/models/latest';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('LatestOnly: the newest query always wins', () => {
  it('runs one at a time, skips superseded queries and never reports a stale result', async () => {
    const started: string[] = [];
    const reported: string[] = [];
    // Slower for short texts, so an old answer would arrive after a newer one if both ran at once.
    const latest = new LatestOnly<string, string>(
      async (q) => {
        started.push(q);
        await sleep(40 - q.length * 5);
        return q.toUpperCase();
      },
      (q, outcome) => reported.push('result' in outcome ? `${q}=${outcome.result}` : `${q}!`),
    );
    latest.submit('a');
    latest.submit('ab');
    latest.submit('abc');
    latest.submit('abcd');
    await sleep(150);
    // 'a' was in flight; 'ab' and 'abc' were replaced while waiting; only the newest is reported.
    expect(started).toEqual(['a', 'abcd']);
    expect(reported).toEqual(['abcd=ABCD']);
  });

  it('reports a failure of the newest query, and cancel drops what is in flight', async () => {
    const reported: string[] = [];
    const latest = new LatestOnly<string, string>(
      async (q) => {
        await sleep(10);
        if (q === 'bad') throw new Error('no model');
        return q;
      },
      (q, outcome) => reported.push('result' in outcome ? q : `${q}: ${outcome.error.message}`),
    );
    latest.submit('bad');
    await sleep(30);
    latest.submit('good');
    latest.cancel();
    await sleep(30);
    expect(reported).toEqual(['bad: no model']);
  });
});
