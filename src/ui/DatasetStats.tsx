import { memo } from 'react';
import type { PreparedDataset } from '../data/dataset';
import { formatCount, formatPercent, formatSeconds } from './format';
import { LengthHistogram } from './LengthHistogram';
import { SampleReviews } from './SampleReviews';

/**
 * Memoised: the dataset object stays the same while a run trains, and without this every chart
 * update of a run (four a second) redrew the length histogram and the sample reviews as well.
 */
export const DatasetStats = memo(function DatasetStats({ dataset }: { dataset: PreparedDataset }) {
  const { train, test, summary } = dataset;
  const lengths = summary.trainLengths;
  return (
    <div className="dataset-stats" data-testid="dataset-stats">
      <table className="counts">
        <caption>Reviews loaded</caption>
        <thead>
          <tr>
            <th scope="col">split</th>
            <th scope="col">positive</th>
            <th scope="col">negative</th>
            <th scope="col">total</th>
            <th scope="col">of</th>
          </tr>
        </thead>
        <tbody>
          {[train, test].map((split) => (
            <tr key={split.split} data-testid={`counts-${split.split}`}>
              <th scope="row">{split.split}</th>
              <td data-testid={`${split.split}-positives`}>{formatCount(split.positives)}</td>
              <td data-testid={`${split.split}-negatives`}>{formatCount(split.negatives)}</td>
              <td data-testid={`${split.split}-total`}>{formatCount(split.count)}</td>
              <td className="muted">{formatCount(summary.manifestCounts[split.split].reviews)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <dl className="facts">
        <div>
          <dt>Distinct words in training reviews</dt>
          <dd data-testid="distinct-words">{formatCount(summary.distinctWords)}</dd>
        </div>
        <div>
          <dt>Vocabulary used (ids 1…{summary.vocabularySize - 1})</dt>
          <dd data-testid="vocabulary-size">{formatCount(summary.vocabularySize)}</dd>
        </div>
        <div>
          <dt>Tokens dropped by the numWords cut-off</dt>
          <dd>{formatPercent(summary.droppedTokenShare)}</dd>
        </div>
        <div>
          <dt>Length in tokens: median / mean / max</dt>
          <dd>
            {formatCount(lengths.median)} / {formatCount(Math.round(lengths.mean))} / {formatCount(lengths.max)}
          </dd>
        </div>
        <div>
          <dt>Truncated by maxlen {summary.maxlen}</dt>
          <dd data-testid="truncated-share">
            {formatPercent(lengths.truncatedShare)} ({formatCount(lengths.truncated)} reviews)
          </dd>
        </div>
        <div>
          <dt>Fetch + verify + decompress · tokenize + pad (train / test)</dt>
          <dd data-testid="timings">
            {formatSeconds(summary.timings.fetchVerifyDecompressMs)} ·{' '}
            {formatSeconds(summary.timings.trainTokenizePadMs)} / {formatSeconds(summary.timings.testTokenizePadMs)}
            {summary.timings.shardsFromCache > 0 && (
              <span className="muted"> ({summary.timings.shardsFromCache} shards from memory)</span>
            )}
            {summary.timings.shardsFromStore > 0 && (
              <span className="muted" data-testid="shards-from-store">
                {' '}
                ({summary.timings.shardsFromStore} shards from the offline copy)
              </span>
            )}
          </dd>
        </div>
      </dl>

      <LengthHistogram stats={lengths} maxlen={summary.maxlen} />
      <h3>Sample reviews and their padded token ids</h3>
      <SampleReviews samples={summary.samples} />
    </div>
  );
});
