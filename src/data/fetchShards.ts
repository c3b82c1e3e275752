import { shardsFor, validateManifest, validateShard, type Manifest, type ShardInfo } from './manifest';
import type { Review, Split } from './review';
import type { PhaseProgress } from './dataset';
import { downloadShard, type RetryPolicy } from './shardDownload';
import type { ShardStore } from './shardStore';

export type ProgressListener = (progress: PhaseProgress) => void;

function shardUrl(baseUrl: string, file: string): string {
  return `${baseUrl.replace(/\/$/, '')}/${file}`;
}

/**
 * The dataset's manifest, from the network (never the HTTP cache); with a `store`, the copy it
 * keeps is used when the network is gone, and a fresh manifest replaces it (dropping the shards
 * it no longer lists).
 */
export async function fetchManifest(
  baseUrl: string,
  fetchImpl: typeof fetch = fetch,
  store: ShardStore | null = null,
): Promise<Manifest> {
  const url = shardUrl(baseUrl, 'manifest.json');
  let response: Response;
  try {
    response = await fetchImpl(url, { cache: 'no-cache' });
  } catch (error) {
    const kept = await store?.getManifest().catch(() => null);
    if (kept) return validateManifest(JSON.parse(kept));
    throw new Error(`Could not fetch the dataset manifest ${url}: ${(error as Error).message}`, { cause: error });
  }
  if (response.status === 404) {
    throw new Error(`The dataset has not been built: ${url} was not found. Run "npm run data" and reload.`);
  }
  if (!response.ok) throw new Error(`Could not fetch the dataset manifest ${url}: HTTP ${response.status}`);
  let text: string;
  let json: unknown;
  try {
    text = await response.text();
    json = JSON.parse(text);
  } catch {
    throw new Error(`The dataset manifest ${url} is not valid JSON. Rebuild it with "npm run data".`);
  }
  const manifest = validateManifest(json);
  if (store) {
    const listed = new Set(
      (['train', 'test'] as const).flatMap((split) => manifest.splits[split].shards.map((shard) => shard.sha256)),
    );
    // The offline copy is a convenience: a full quota or a closed cache must not stop the load.
    await store
      .putManifest(text)
      .then(() => store.prune(listed))
      .catch(() => {});
  }
  return manifest;
}

async function gunzipText(bytes: Uint8Array): Promise<string> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

export interface ShardCache {
  get(sha256: string): Review[] | undefined;
  set(sha256: string, reviews: Review[]): void;
}

export interface FetchedSplits {
  reviews: Record<Split, Review[]>;
  /** Shards already in memory. */
  fromCache: number;
  /** Shards read from the offline copy (the Cache API) instead of the network. */
  fromStore: number;
}

/**
 * Fetches, verifies (sha256) and decompresses the shards that hold the wanted number of reviews
 * of each split. Shards already verified are served from `cache`, keyed by their hash.
 */
export async function fetchSplits(
  manifest: Manifest,
  baseUrl: string,
  wanted: Record<Split, number>,
  onProgress: ProgressListener,
  cache: ShardCache,
  fetchImpl: typeof fetch = fetch,
  options: { store?: ShardStore | null; retry?: RetryPolicy } = {},
): Promise<FetchedSplits> {
  const plan: Array<{ split: Split; shard: ShardInfo }> = [];
  for (const split of ['train', 'test'] as const) {
    for (const shard of shardsFor(manifest.splits[split], wanted[split])) plan.push({ split, shard });
  }
  const toFetch = plan.filter(({ shard }) => !cache.get(shard.sha256));
  const totalBytes = toFetch.reduce((sum, { shard }) => sum + shard.bytes, 0);
  let receivedBytes = 0;
  onProgress({ phase: 'download', done: 0, total: totalBytes, unit: 'bytes' });
  onProgress({ phase: 'verify', done: 0, total: toFetch.length, unit: 'shards' });
  let verified = 0;
  let fromStore = 0;
  for (const { split, shard } of toFetch) {
    let bytes = await options.store?.get(shard.sha256).catch(() => null);
    if (bytes) {
      fromStore++;
      receivedBytes += bytes.length;
      onProgress({ phase: 'download', done: receivedBytes, total: totalBytes, unit: 'bytes' });
    } else {
      bytes = await downloadShard(
        shardUrl(baseUrl, shard.file),
        shard,
        fetchImpl,
        (n) => {
          receivedBytes += n;
          onProgress({ phase: 'download', done: receivedBytes, total: totalBytes, unit: 'bytes' });
        },
        options.retry,
      );
      // Verified bytes only; a full quota leaves the load going without an offline copy.
      await options.store?.put(shard.sha256, bytes).catch(() => {});
    }
    onProgress({ phase: 'verify', done: ++verified, total: toFetch.length, unit: 'shards' });
    let text: string;
    try {
      text = await gunzipText(bytes);
    } catch (error) {
      throw new Error(`Shard ${shard.file} could not be decompressed: ${(error as Error).message}`, { cause: error });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`Shard ${shard.file} is not valid JSON after decompression.`);
    }
    cache.set(shard.sha256, validateShard(json, split, shard).reviews);
    onProgress({ phase: 'decompress', done: verified, total: toFetch.length, unit: 'shards' });
  }
  const reviews: Record<Split, Review[]> = { train: [], test: [] };
  for (const { split, shard } of plan) reviews[split].push(...cache.get(shard.sha256)!);
  return { reviews, fromCache: plan.length - toFetch.length, fromStore };
}
