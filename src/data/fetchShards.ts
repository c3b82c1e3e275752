import { shardsFor, validateManifest, validateShard, type Manifest, type ShardInfo } from './manifest';
import type { Review, Split } from './review';
import type { PhaseProgress } from './dataset';

export type ProgressListener = (progress: PhaseProgress) => void;

function shardUrl(baseUrl: string, file: string): string {
  return `${baseUrl.replace(/\/$/, '')}/${file}`;
}

export async function fetchManifest(baseUrl: string, fetchImpl: typeof fetch = fetch): Promise<Manifest> {
  const url = shardUrl(baseUrl, 'manifest.json');
  let response: Response;
  try {
    response = await fetchImpl(url, { cache: 'no-cache' });
  } catch (error) {
    throw new Error(`Could not fetch the dataset manifest ${url}: ${(error as Error).message}`, { cause: error });
  }
  if (response.status === 404) {
    throw new Error(`The dataset has not been built: ${url} was not found. Run "npm run data" and reload.`);
  }
  if (!response.ok) throw new Error(`Could not fetch the dataset manifest ${url}: HTTP ${response.status}`);
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new Error(`The dataset manifest ${url} is not valid JSON. Rebuild it with "npm run data".`);
  }
  return validateManifest(json);
}

/** Reads a response body chunk by chunk so byte progress can be reported. */
async function readWithProgress(response: Response, onBytes: (n: number) => void): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
    onBytes(value.length);
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
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
  fromCache: number;
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
  for (const { split, shard } of toFetch) {
    const url = shardUrl(baseUrl, shard.file);
    let response: Response;
    try {
      response = await fetchImpl(url);
    } catch (error) {
      throw new Error(`Could not fetch shard ${shard.file}: ${(error as Error).message}`, { cause: error });
    }
    if (!response.ok) {
      throw new Error(
        `Could not fetch shard ${shard.file}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}. ` +
          'Rebuild the data with "npm run data".',
      );
    }
    const bytes = await readWithProgress(response, (n) => {
      receivedBytes += n;
      onProgress({ phase: 'download', done: receivedBytes, total: totalBytes, unit: 'bytes' });
    });
    const digest = toHex(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
    if (digest !== shard.sha256) {
      throw new Error(
        `Shard ${shard.file} is corrupt: its sha256 is ${digest.slice(0, 12)}…, the manifest expects ${shard.sha256.slice(0, 12)}…. ` +
          'Rebuild the data with "npm run data".',
      );
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
  return { reviews, fromCache: plan.length - toFetch.length };
}
