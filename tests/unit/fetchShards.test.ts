import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../scripts/lib/buildDataset';
import type { Review } from '../../src/data/review';
import { fetchManifest, fetchSplits } from '../../src/data/fetchShards';
import { encodeDataset } from '../../src/data/prepareDataset';
import type { PhaseProgress } from '../../src/data/dataset';
import { makeImdbTarball, tempDir } from './fixtures';

/** A fetch that serves a folder, with optional per-file overrides (status or bytes). */
function folderFetch(dir: string, overrides: Record<string, (bytes: Buffer) => Response> = {}): typeof fetch {
  return (async (input: string | URL | Request) => {
    const name = String(input).split('/').pop()!;
    try {
      const bytes = await readFile(path.join(dir, name));
      return overrides[name]?.(bytes) ?? new Response(bytes);
    } catch {
      return new Response('not found', { status: 404, statusText: 'Not Found' });
    }
  }) as typeof fetch;
}

async function builtFixture() {
  const dir = await tempDir();
  const { file } = await makeImdbTarball(dir, 6);
  const outDir = path.join(dir, 'out');
  const { manifest } = await buildDataset({ tarball: file, outDir, shardSize: 4 });
  return { outDir, manifest };
}

const newCache = () => new Map<string, Review[]>();

describe('fetchSplits and encodeDataset (the data worker, in Node)', () => {
  it('fetches, verifies, decompresses, then tokenizes and pads with progress', async () => {
    const { outDir } = await builtFixture();
    const fetchImpl = folderFetch(outDir);
    const manifest = await fetchManifest('http://x/data', fetchImpl);
    const progress: PhaseProgress[] = [];
    const cache = newCache();
    const fetched = await fetchSplits(
      manifest,
      'http://x/data',
      { train: 8, test: 4 },
      (p) => progress.push(p),
      cache,
      fetchImpl,
    );
    expect(fetched.reviews.train).toHaveLength(8);
    expect(fetched.reviews.test).toHaveLength(4);
    const download = progress.filter((p) => p.phase === 'download').at(-1)!;
    expect(download.done).toBe(download.total);
    expect(progress.filter((p) => p.phase === 'verify').at(-1)).toMatchObject({ done: 3, total: 3 });

    const again = await fetchSplits(manifest, 'http://x/data', { train: 8, test: 4 }, () => {}, cache, fetchImpl);
    expect(again.fromCache).toBe(3);

    const encoded = encodeDataset(
      fetched.reviews,
      { numWords: 10, maxlen: 6, padding: 'pre', truncating: 'pre', oovToken: null },
      () => {},
    );
    expect(encoded.train.ids).toHaveLength(8 * 6);
    expect(encoded.train.positives + encoded.train.negatives).toBe(8);
    expect(Math.max(...encoded.train.ids)).toBeLessThan(10);
    // "Review N of train: A great wonderful film. Really great wonderful!" has 10 tokens.
    expect([...encoded.train.lengths].every((n) => n > 0 && n <= 10)).toBe(true);
    expect(encoded.samples.length).toBeGreaterThan(0);
    expect(encoded.samples[0]!.paddedIds).toHaveLength(6);
  });

  it('names a missing shard and its HTTP status', async () => {
    const { outDir, manifest } = await builtFixture();
    const missing = manifest.splits.train.shards[1]!.file;
    const fetchImpl = folderFetch(outDir, {
      [missing]: () => new Response('', { status: 404, statusText: 'Not Found' }),
    });
    await expect(
      fetchSplits(manifest, 'http://x', { train: 12, test: 4 }, () => {}, newCache(), fetchImpl),
    ).rejects.toThrow(new RegExp(`${missing.replace('.', '\\.')}: HTTP 404 Not Found`));
  });

  it('rejects a shard whose bytes do not match its sha256', async () => {
    const { outDir, manifest } = await builtFixture();
    const shard = manifest.splits.test.shards[0]!.file;
    const fetchImpl = folderFetch(outDir, {
      [shard]: (bytes) => {
        const copy = Buffer.from(bytes);
        copy[10] = copy[10]! ^ 0xff;
        return new Response(copy);
      },
    });
    await expect(
      fetchSplits(manifest, 'http://x', { train: 4, test: 4 }, () => {}, newCache(), fetchImpl, {
        retry: { attempts: 2, firstDelayMs: 0, sleep: async () => {} },
      }),
    ).rejects.toThrow(/is corrupt: its sha256/);
  });

  it('explains a missing manifest', async () => {
    const dir = await tempDir();
    await expect(fetchManifest('http://x', folderFetch(dir))).rejects.toThrow(/has not been built.*npm run data/);
  });
});
