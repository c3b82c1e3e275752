/// <reference lib="webworker" />
import { takeBalanced } from '../../data/balancedTake';
import type { Review, Split } from '../../data/review';
import { lengthStats } from '../../text/lengthStats';
import { fetchManifest, fetchSplits, type ShardCache } from '../../data/fetchShards';
import { packedBuffers, packTexts } from '../../data/packedTexts';
import { encodeDataset } from '../../data/prepareDataset';
import { openCacheShardStore, type ShardStore } from '../../data/shardStore';
import { shortVersionBuffers } from '../../data/shortVersionSequences';
import type { DatasetRequestOptions, PhaseProgress, PreparedDataset } from '../../data/dataset';
import { Cancelled, release, serve, transfer } from '../rpc';
import type { DataWorkerApi } from './api';

/** Verified shards stay in memory, so changing maxlen or numWords does not refetch them. */
const shardCache = new Map<string, Review[]>() satisfies ShardCache;
const PROGRESS_INTERVAL_MS = 50;

/** The reviews of the last finished load, by split and then by `label:id`, for `reviews`. */
let loaded: Record<Split, Map<string, Review>> | null = null;
/** The same reviews in row order (the padded matrices'), for `texts`. */
let loadedInOrder: Record<Split, Review[]> | null = null;
const reviewKey = (label: number, id: number) => `${label}:${id}`;

/** The offline copy of the dataset (null where the browser has no Cache API), opened once. */
let storeOpened: Promise<ShardStore | null> | null = null;
const shardStore = () => (storeOpened ??= openCacheShardStore());

/** Loads the page has cancelled; each load checks at every progress report. */
const cancelled = new Set<number>();

async function load(
  jobId: number,
  request: DatasetRequestOptions,
  reportProgress: (progress: PhaseProgress) => void,
): Promise<PreparedDataset> {
  let lastProgressAt = 0;
  // Progress travels on the callback's own port; awaiting the last report before answering keeps
  // every report ahead of the answer.
  let lastReport: unknown = undefined;
  const onProgress = (progress: PhaseProgress) => {
    if (cancelled.has(jobId)) throw new Cancelled('Superseded by a newer request');
    const now = performance.now();
    const finished = progress.done >= progress.total;
    if (!finished && now - lastProgressAt < PROGRESS_INTERVAL_MS) return;
    lastProgressAt = now;
    lastReport = reportProgress(progress);
  };
  const fetchStarted = performance.now();
  onProgress({ phase: 'manifest', done: 0, total: 1, unit: 'shards' });
  const store = await shardStore();
  const manifest = await fetchManifest(request.baseUrl, fetch, store);
  const wanted = {
    train: Math.min(request.trainReviews, manifest.splits.train.reviews),
    test: Math.min(request.testReviews, manifest.splits.test.reviews),
  };
  const fetched = await fetchSplits(manifest, request.baseUrl, wanted, onProgress, shardCache, fetch, { store });
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
    testShortVersions: encoded.testShortVersions,
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
        shardsFromStore: fetched.fromStore,
      },
    },
  };
  await lastReport;
  loaded = {
    train: new Map(reviews.train.map((r) => [reviewKey(r.label, r.id), r])),
    test: new Map(reviews.test.map((r) => [reviewKey(r.label, r.id), r])),
  };
  loadedInOrder = reviews;
  const { train, test } = dataset;
  return transfer(dataset, [
    train.ids.buffer,
    train.labels.buffer,
    train.lengths.buffer,
    train.reviewIds.buffer,
    test.ids.buffer,
    test.labels.buffer,
    test.lengths.buffer,
    test.reviewIds.buffer,
    ...shortVersionBuffers(dataset.testShortVersions),
  ]);
}

const api: DataWorkerApi = {
  async load(jobId, options, onProgress) {
    try {
      return await load(jobId, options, onProgress);
    } finally {
      cancelled.delete(jobId);
      release(onProgress);
    }
  },
  cancel(jobId) {
    cancelled.add(jobId);
  },
  async offlineCopy() {
    const store = await shardStore();
    return store ? { available: true, ...(await store.usage()) } : { available: false, shards: 0, bytes: 0 };
  },
  async clearOfflineCopy() {
    await (await shardStore())?.clear();
  },
  async reviews(split, keys) {
    return keys.map(({ id, label }) => loaded?.[split].get(reviewKey(label, id)) ?? null);
  },
  async texts(split) {
    if (!loadedInOrder) return null;
    const packed = packTexts(loadedInOrder[split]);
    return transfer(packed, packedBuffers(packed));
  },
  async search(split, query, limit) {
    const needle = query.trim().toLowerCase();
    const matches: Review[] = [];
    let total = 0;
    if (!loaded || needle === '') return { matches, total };
    for (const review of loaded[split].values()) {
      if (!review.text.toLowerCase().includes(needle)) continue;
      total++;
      if (matches.length < limit) matches.push(review);
    }
    return { matches, total };
  },
};
serve(api);
