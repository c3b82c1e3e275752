/// <reference lib="webworker" />
import { takeBalanced } from '../data/balancedTake';
import type { Review } from '../data/review';
import { lengthStats } from '../text/lengthStats';
import { fetchManifest, fetchSplits, type ShardCache } from './fetchShards';
import { encodeDataset } from './prepareDataset';
import type { DataWorkerRequest, DataWorkerResponse, PhaseProgress, PreparedDataset } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

/** Verified shards stay in memory, so changing maxlen or numWords does not refetch them. */
const shardCache = new Map<string, Review[]>() satisfies ShardCache;
const PROGRESS_INTERVAL_MS = 50;

function post(message: DataWorkerResponse, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

async function load(
  requestId: number,
  request: Extract<DataWorkerRequest, { type: 'load' }>['options'],
): Promise<void> {
  let lastProgressAt = 0;
  const onProgress = (progress: PhaseProgress) => {
    const now = performance.now();
    const finished = progress.done >= progress.total;
    if (!finished && now - lastProgressAt < PROGRESS_INTERVAL_MS) return;
    lastProgressAt = now;
    post({ type: 'progress', requestId, progress });
  };
  const fetchStarted = performance.now();
  onProgress({ phase: 'manifest', done: 0, total: 1, unit: 'shards' });
  const manifest = await fetchManifest(request.baseUrl);
  const wanted = {
    train: Math.min(request.trainReviews, manifest.splits.train.reviews),
    test: Math.min(request.testReviews, manifest.splits.test.reviews),
  };
  const fetched = await fetchSplits(manifest, request.baseUrl, wanted, onProgress, shardCache);
  const fetchVerifyDecompressMs = performance.now() - fetchStarted;

  const reviews = {
    train: takeBalanced(fetched.reviews.train, wanted.train),
    test: takeBalanced(fetched.reviews.test, wanted.test),
  };
  const encoded = encodeDataset(reviews, request, onProgress);

  const counts = (split: 'train' | 'test') => {
    const { reviews: n, positives, negatives } = manifest.splits[split];
    return { reviews: n, positives, negatives };
  };
  const dataset: PreparedDataset = {
    train: encoded.train,
    test: encoded.test,
    tokenizerJson: encoded.tokenizer.toJson(),
    summary: {
      sourceSha256: manifest.source.sha256,
      manifestCounts: { train: counts('train'), test: counts('test') },
      distinctWords: encoded.distinctWords,
      vocabularySize: encoded.tokenizer.vocabularySize,
      numWords: request.numWords,
      maxlen: request.maxlen,
      trainLengths: lengthStats(encoded.train.lengths, request.maxlen),
      droppedTokenShare: encoded.droppedTokenShare,
      samples: encoded.samples,
      timings: {
        fetchVerifyDecompressMs,
        trainTokenizePadMs: encoded.timings.trainMs,
        testTokenizePadMs: encoded.timings.testMs,
        shardsFromCache: fetched.fromCache,
      },
    },
  };
  const { train, test } = dataset;
  post({ type: 'loaded', requestId, dataset }, [
    train.ids.buffer,
    train.labels.buffer,
    train.lengths.buffer,
    train.reviewIds.buffer,
    test.ids.buffer,
    test.labels.buffer,
    test.lengths.buffer,
    test.reviewIds.buffer,
  ]);
}

self.onmessage = (event: MessageEvent<DataWorkerRequest>) => {
  const message = event.data;
  if (message.type === 'load') {
    load(message.requestId, message.options).catch((error: unknown) => {
      post({
        type: 'error',
        requestId: message.requestId,
        message: error instanceof Error ? error.message : String(error),
      });
    });
  }
};
