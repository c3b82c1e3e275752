/**
 * The offline copy of the dataset: verified shard bytes and the last manifest, kept in the
 * browser's Cache API (reachable from the data worker) so a later visit needs no network. Only
 * bytes that matched the manifest's sha256 are put; bytes read back are hashed again before use,
 * and a shard whose hash no longer matches is deleted and downloaded again. When the manifest
 * changes, shards it no longer lists are dropped.
 */
import { sha256Hex } from './shardDownload';

export interface ShardStore {
  /** The shard's bytes if stored and still matching `sha256`; a mismatching copy is deleted. */
  get(sha256: string): Promise<Uint8Array | null>;
  put(sha256: string, bytes: Uint8Array): Promise<void>;
  /** The last manifest fetched (its JSON text), for loading without a network. */
  getManifest(): Promise<string | null>;
  putManifest(text: string): Promise<void>;
  /** Deletes every shard not in `keep` (sha256s of the current manifest). */
  prune(keep: ReadonlySet<string>): Promise<void>;
  usage(): Promise<{ shards: number; bytes: number }>;
  clear(): Promise<void>;
}

export const SHARD_CACHE_NAME = 'sentiment-lab-dataset-v1';

/** Keys only: Cache API entries are keyed by URL, never fetched. */
const KEY_ORIGIN = 'https://sentiment-lab.invalid/';
const shardKey = (sha256: string) => `${KEY_ORIGIN}shard/${sha256}`;
const MANIFEST_KEY = `${KEY_ORIGIN}manifest.json`;

/** A store in the Cache API, or null where the browser has none (insecure origin, some private modes). */
export async function openCacheShardStore(cacheName = SHARD_CACHE_NAME): Promise<ShardStore | null> {
  if (typeof caches === 'undefined') return null;
  let cache: Cache;
  try {
    cache = await caches.open(cacheName);
  } catch {
    return null;
  }
  const store: ShardStore = {
    async get(sha256) {
      const response = await cache.match(shardKey(sha256));
      if (!response) return null;
      const bytes = new Uint8Array(await response.arrayBuffer());
      if ((await sha256Hex(bytes)) === sha256) return bytes;
      await cache.delete(shardKey(sha256));
      return null;
    },
    async put(sha256, bytes) {
      const body = bytes.slice().buffer;
      await cache.put(
        shardKey(sha256),
        new Response(body, { headers: { 'Content-Length': String(bytes.length), 'Content-Type': 'application/gzip' } }),
      );
    },
    async getManifest() {
      const response = await cache.match(MANIFEST_KEY);
      return response ? response.text() : null;
    },
    async putManifest(text) {
      await cache.put(MANIFEST_KEY, new Response(text, { headers: { 'Content-Type': 'application/json' } }));
    },
    async prune(keep) {
      for (const request of await cache.keys()) {
        const sha = request.url.startsWith(`${KEY_ORIGIN}shard/`)
          ? request.url.slice(`${KEY_ORIGIN}shard/`.length)
          : null;
        if (sha !== null && !keep.has(sha)) await cache.delete(request);
      }
    },
    async usage() {
      let shards = 0;
      let bytes = 0;
      for (const request of await cache.keys()) {
        if (!request.url.startsWith(`${KEY_ORIGIN}shard/`)) continue;
        shards++;
        bytes += Number((await cache.match(request))?.headers.get('Content-Length') ?? 0);
      }
      return { shards, bytes };
    },
    async clear() {
      for (const request of await cache.keys()) await cache.delete(request);
    },
  };
  return store;
}
