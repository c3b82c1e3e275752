import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../scripts/lib/buildDataset';
import { fetchManifest, fetchSplits } from '../../src/data/fetchShards';
import type { ShardInfo } from '../../src/data/manifest';
import type { Review } from '../../src/data/review';
import { downloadShard, sha256Hex, ShardDownloadError, type RetryPolicy } from '../../src/data/shardDownload';
import type { ShardStore } from '../../src/data/shardStore';
import { makeImdbTarball, tempDir } from './fixtures';

/** Retries without waiting; the waits asked for are recorded. */
function fastRetry(): RetryPolicy & { waits: number[] } {
  const waits: number[] = [];
  return { attempts: 4, firstDelayMs: 500, waits, sleep: async (ms) => void waits.push(ms) };
}

/** A body that sends `upTo` bytes, then fails as a dropped connection does (or just ends, `close`). */
function cutBody(bytes: Uint8Array, upTo: number, how: 'error' | 'close'): Response {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes.slice(0, upTo));
      if (how === 'close') controller.close();
      else controller.error(new TypeError('network error'));
    },
  });
  return new Response(stream);
}

async function realShard(): Promise<{ dir: string; shard: ShardInfo; bytes: Uint8Array }> {
  const dir = await tempDir();
  const { file } = await makeImdbTarball(dir, 6);
  const outDir = path.join(dir, 'out');
  const { manifest } = await buildDataset({ tarball: file, outDir, shardSize: 4 });
  const shard = manifest.splits.train.shards[0]!;
  return { dir: outDir, shard, bytes: new Uint8Array(await readFile(path.join(outDir, shard.file))) };
}

/** A fetch answering from a script, one response (or thrown error) per call, then the real bytes. */
function scripted(bytes: Uint8Array, script: Array<() => Response>): typeof fetch & { calls: number } {
  const f = (async () => {
    const next = script[f.calls++];
    return next ? next() : new Response(bytes.slice());
  }) as unknown as typeof fetch & { calls: number };
  f.calls = 0;
  return f;
}

describe('a shard download that is cut or corrupted', () => {
  it('retries a connection dropped mid-body and a server that closes after half, then returns the verified bytes', async () => {
    const { shard, bytes } = await realShard();
    const half = Math.floor(bytes.length / 2);
    const fetchImpl = scripted(bytes, [
      () => cutBody(bytes, half, 'error'),
      () => cutBody(bytes, half, 'close'),
      () => {
        throw new TypeError('Failed to fetch');
      },
      () => new Response('busy', { status: 503 }),
    ]);
    const retry = { ...fastRetry(), attempts: 5 };
    let counted = 0;
    const got = await downloadShard('http://x/s', shard, fetchImpl, (n) => (counted += n), retry);
    expect(await sha256Hex(got)).toBe(shard.sha256);
    expect(got.length).toBe(shard.bytes);
    expect(fetchImpl.calls).toBe(5);
    // Bytes of the failed tries are taken back: progress ends at exactly the shard's size.
    expect(counted).toBe(shard.bytes);
    expect(retry.waits).toEqual([500, 1000, 2000, 4000]);
  });

  it('gives up after the last try with a message that says what happened and offers Retry', async () => {
    const { shard, bytes } = await realShard();
    const half = Math.floor(bytes.length / 2);
    const always = Array.from({ length: 4 }, () => () => cutBody(bytes, half, 'close'));
    const retry = fastRetry();
    const error = await downloadShard('http://x/s', shard, scripted(bytes, always), () => {}, retry).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ShardDownloadError);
    expect((error as ShardDownloadError).retryable).toBe(true);
    expect((error as Error).message).toMatch(
      new RegExp(
        `Could not download shard ${shard.file.replace('.', '\\.')} after 4 tries: the server sent .* MB of .* MB and closed the connection\\. Check the connection and press Retry`,
      ),
    );
    expect(retry.waits).toEqual([500, 1000, 2000]);
  });

  it('does not retry a missing shard, and calls bytes that hash wrong every time corrupt', async () => {
    const { shard, bytes } = await realShard();
    const missing = scripted(bytes, [() => new Response('', { status: 404, statusText: 'Not Found' })]);
    await expect(downloadShard('http://x/s', shard, missing, () => {}, fastRetry())).rejects.toThrow(
      /HTTP 404 Not Found\. Rebuild the data/,
    );
    expect(missing.calls).toBe(1);
    const flipped = bytes.slice();
    flipped[10] = flipped[10]! ^ 0xff;
    const corrupt = scripted(
      bytes,
      Array.from({ length: 4 }, () => () => new Response(flipped.slice())),
    );
    await expect(downloadShard('http://x/s', shard, corrupt, () => {}, fastRetry())).rejects.toThrow(
      /is corrupt: its sha256 is .* \(on each of 4 tries\)/,
    );
    // Corrupt once (a proxy's bad copy), right the next time: used.
    const once = scripted(bytes, [() => new Response(flipped.slice())]);
    expect(await sha256Hex(await downloadShard('http://x/s', shard, once, () => {}, fastRetry()))).toBe(shard.sha256);
  });
});

/** The offline copy's contract, kept in memory (the Cache API one runs in the browser: e2e/offline.spec.ts). */
function memoryStore(): ShardStore & { shards: Map<string, Uint8Array>; manifest: string | null } {
  const store = {
    shards: new Map<string, Uint8Array>(),
    manifest: null as string | null,
    get: async (sha: string) => store.shards.get(sha) ?? null,
    put: async (sha: string, bytes: Uint8Array) => void store.shards.set(sha, bytes),
    getManifest: async () => store.manifest,
    putManifest: async (text: string) => void (store.manifest = text),
    prune: async (keep: ReadonlySet<string>) => {
      for (const sha of [...store.shards.keys()]) if (!keep.has(sha)) store.shards.delete(sha);
    },
    usage: async () => ({ shards: store.shards.size, bytes: 0 }),
    clear: async () => store.shards.clear(),
  };
  return store;
}

describe('the offline copy in a load', () => {
  it('keeps only verified shards, serves the next load without a network, and drops shards a new manifest no longer lists', async () => {
    const { dir } = await realShard();
    const serve = (async (input: string | URL | Request) => {
      const name = String(input).split('/').pop()!;
      return new Response(await readFile(path.join(dir, name)));
    }) as typeof fetch;
    const offline = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const store = memoryStore();
    const manifest = await fetchManifest('http://x', serve, store);
    const first = await fetchSplits(manifest, 'http://x', { train: 8, test: 4 }, () => {}, new Map(), serve, {
      store,
      retry: fastRetry(),
    });
    expect(store.shards.size).toBe(3);
    for (const [sha, bytes] of store.shards) expect(await sha256Hex(bytes)).toBe(sha);

    // A new page (empty memory cache), no network: the manifest and shards come from the copy.
    const again = await fetchManifest('http://x', offline, store);
    const second = await fetchSplits(again, 'http://x', { train: 8, test: 4 }, () => {}, new Map(), offline, {
      store,
    });
    expect(second.fromStore).toBe(3);
    const ids = (reviews: Review[]) => reviews.map((r) => `${r.label}:${r.id}`);
    expect(ids(second.reviews.train)).toEqual(ids(first.reviews.train));

    // A rebuilt dataset: the manifest lists other shards, so the copy drops the old ones.
    const changed = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    changed.splits.train.shards[0].sha256 = 'f'.repeat(64);
    const rebuilt = (async (input: string | URL | Request) =>
      String(input).endsWith('manifest.json') ? new Response(JSON.stringify(changed)) : serve(input)) as typeof fetch;
    await fetchManifest('http://x', rebuilt, store);
    expect(store.shards.size).toBe(2);
  });
});
