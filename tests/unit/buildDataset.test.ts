import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../scripts/lib/buildDataset';
import { sha256Hex } from '../../scripts/lib/hash';
import type { Manifest, ShardFile } from '../../src/data/manifest';
import { makeImdbTarball, tempDir } from './fixtures';

describe('buildDataset', () => {
  it('writes a manifest and balanced, verified gzip shards from the tarball', async () => {
    const dir = await tempDir();
    const { file, reviews } = await makeImdbTarball(dir, 6);
    const outDir = path.join(dir, 'out');
    const result = await buildDataset({ tarball: file, outDir, shardSize: 4, seed: 3 });
    expect(result.status).toBe('built');
    const manifest = JSON.parse(await readFile(path.join(outDir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.source.sha256).toBe(sha256Hex(await readFile(file)));
    for (const split of ['train', 'test'] as const) {
      const info = manifest.splits[split];
      expect(info).toMatchObject({ reviews: 12, positives: 6, negatives: 6 });
      expect(info.shards).toHaveLength(3);
      const seen: string[] = [];
      for (const shard of info.shards) {
        const bytes = await readFile(path.join(outDir, shard.file));
        expect(bytes.length).toBe(shard.bytes);
        expect(sha256Hex(bytes)).toBe(shard.sha256);
        const content = JSON.parse(gunzipSync(bytes).toString('utf8')) as ShardFile;
        expect(content.split).toBe(split);
        expect(content.reviews.filter((r) => r.label === 1)).toHaveLength(2);
        expect(shard).toMatchObject({ reviews: 4, positives: 2, negatives: 2 });
        for (const r of content.reviews) seen.push(`${r.label}-${r.id}-${r.rating}`);
        const first = content.reviews[0]!;
        // <br /> became whitespace, whitespace collapsed, case and punctuation kept.
        expect(first.text).toMatch(
          /^Review \d+ of (train|test): A (great wonderful|awful boring) film\. Really (great wonderful|awful boring)!$/,
        );
      }
      const expected = reviews
        .filter((r) => r.split === split)
        .map((r) => `${r.polarity === 'pos' ? 1 : 0}-${r.id}-${r.rating}`);
      expect(seen.sort()).toEqual(expected.sort());
    }
  });

  it('does nothing when re-run on an unchanged source, and rebuilds a damaged output', async () => {
    const dir = await tempDir();
    const { file } = await makeImdbTarball(dir, 4);
    const outDir = path.join(dir, 'out');
    const first = await buildDataset({ tarball: file, outDir, shardSize: 4 });
    const manifestBefore = await readFile(path.join(outDir, 'manifest.json'), 'utf8');
    const second = await buildDataset({ tarball: file, outDir, shardSize: 4 });
    expect(second.status).toBe('up-to-date');
    expect(await readFile(path.join(outDir, 'manifest.json'), 'utf8')).toBe(manifestBefore);
    await writeFile(path.join(outDir, first.manifest.splits.train.shards[0]!.file), 'truncated');
    expect((await buildDataset({ tarball: file, outDir, shardSize: 4 })).status).toBe('built');
  });

  it('fails clearly on a corrupt tarball and leaves no partial output', async () => {
    const dir = await tempDir();
    const { file } = await makeImdbTarball(dir, 4);
    const bytes = await readFile(file);
    const corrupt = path.join(dir, 'corrupt.tar.gz');
    await writeFile(corrupt, bytes.subarray(0, bytes.length >> 1));
    const outDir = path.join(dir, 'out');
    await expect(buildDataset({ tarball: corrupt, outDir })).rejects.toThrow(/not a readable aclImdb tar\.gz archive/);
    expect(existsSync(outDir)).toBe(false);
    expect((await readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('rejects a tarball that is not aclImdb and a missing tarball', async () => {
    const dir = await tempDir();
    const notImdb = path.join(dir, 'other.tar.gz');
    const tar = (await import('tar-stream')).default.pack();
    tar.entry({ name: 'something/else.txt' }, 'hello');
    tar.finalize();
    const chunks: Buffer[] = [];
    for await (const c of tar) chunks.push(c as Buffer);
    const { gzipSync } = await import('node:zlib');
    await writeFile(notImdb, gzipSync(Buffer.concat(chunks)));
    await expect(buildDataset({ tarball: notImdb, outDir: path.join(dir, 'out') })).rejects.toThrow(
      /does not look like the aclImdb v1 dataset/,
    );
    await expect(
      buildDataset({ tarball: path.join(dir, 'missing.tar.gz'), outDir: path.join(dir, 'out') }),
    ).rejects.toThrow(/does not exist/);
  });
});
