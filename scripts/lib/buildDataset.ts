import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  MANIFEST_FORMAT_VERSION,
  SHARD_FORMAT_VERSION,
  validateManifest,
  type Manifest,
  type ShardFile,
  type ShardInfo,
  type SplitInfo,
} from '../../src/data/manifest';
import { SPLITS, type Review, type Split } from '../../src/data/review';
import { planBalancedShards } from '../../src/data/sharding';
import { sha256File, sha256Hex } from './hash';
import { readImdbTarball } from './readTarball';

export interface BuildOptions {
  tarball: string;
  outDir: string;
  shardSize?: number;
  seed?: number;
  force?: boolean;
  log?: (line: string) => void;
}

export interface BuildResult {
  status: 'built' | 'up-to-date';
  manifest: Manifest;
}

/** Is `outDir` already the output of this source with these settings, every shard intact? */
async function isUpToDate(
  outDir: string,
  sourceSha: string,
  shardSize: number,
  seed: number,
): Promise<Manifest | null> {
  const manifestPath = path.join(outDir, 'manifest.json');
  if (!existsSync(manifestPath)) return null;
  let manifest: Manifest;
  try {
    manifest = validateManifest(JSON.parse(await readFile(manifestPath, 'utf8')));
  } catch {
    return null;
  }
  if (manifest.source.sha256 !== sourceSha || manifest.shardSize !== shardSize || manifest.seed !== seed) return null;
  for (const split of SPLITS) {
    for (const shard of manifest.splits[split].shards) {
      const file = path.join(outDir, shard.file);
      if (!existsSync(file) || (await stat(file)).size !== shard.bytes) return null;
    }
  }
  return manifest;
}

/**
 * Builds `manifest.json` and gzip shards from the tarball. Output is written to a sibling temp
 * folder and swapped in at the end, so a failure never leaves a half-written dataset behind.
 */
export async function buildDataset(options: BuildOptions): Promise<BuildResult> {
  const { tarball, outDir } = options;
  const shardSize = options.shardSize ?? 5000;
  const seed = options.seed ?? 1337;
  const log = options.log ?? (() => {});
  if (!existsSync(tarball)) throw new Error(`The IMDB tarball ${tarball} does not exist.`);
  const sourceSha = await sha256File(tarball);
  if (!options.force) {
    const current = await isUpToDate(outDir, sourceSha, shardSize, seed);
    if (current) return { status: 'up-to-date', manifest: current };
  }
  log(`Reading ${tarball} (sha256 ${sourceSha.slice(0, 12)}…)`);
  const reviews = await readImdbTarball(tarball);
  const staging = `${outDir}.tmp-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    const splits = {} as Record<Split, SplitInfo>;
    for (const split of SPLITS) {
      splits[split] = await writeSplit(staging, split, reviews[split], shardSize, seed);
      log(`${split}: ${splits[split].reviews} reviews in ${splits[split].shards.length} shards`);
    }
    const manifest: Manifest = {
      formatVersion: MANIFEST_FORMAT_VERSION,
      source: { file: path.basename(tarball), bytes: (await stat(tarball)).size, sha256: sourceSha },
      shardSize,
      seed,
      createdAt: new Date().toISOString(),
      splits,
    };
    await writeFile(path.join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await swapInto(staging, outDir);
    return { status: 'built', manifest };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

async function writeSplit(
  dir: string,
  split: Split,
  reviews: Review[],
  shardSize: number,
  seed: number,
): Promise<SplitInfo> {
  const positives = reviews.filter((r) => r.label === 1);
  const negatives = reviews.filter((r) => r.label === 0);
  // A different seed per split keeps train and test shuffles independent.
  const shards = planBalancedShards(positives, negatives, shardSize, seed + (split === 'train' ? 0 : 1));
  const infos: ShardInfo[] = [];
  for (const [index, shardReviews] of shards.entries()) {
    // Not ".gz": static servers (Vite's, Apache's mod_mime) send *.gz with Content-Encoding: gzip,
    // the browser then decompresses it on the fly, and the bytes no longer match their sha256.
    const file = `${split}-${String(index).padStart(3, '0')}.json.gzip`;
    const content: ShardFile = {
      formatVersion: SHARD_FORMAT_VERSION,
      split,
      index,
      reviews: shardReviews.map(({ id, rating, label, text }) => ({ id, rating, label, text })),
    };
    const gz = gzipSync(JSON.stringify(content), { level: 9 });
    await writeFile(path.join(dir, file), gz);
    const pos = shardReviews.filter((r) => r.label === 1).length;
    infos.push({
      file,
      bytes: gz.length,
      sha256: sha256Hex(gz),
      reviews: shardReviews.length,
      positives: pos,
      negatives: shardReviews.length - pos,
    });
  }
  return { reviews: reviews.length, positives: positives.length, negatives: negatives.length, shards: infos };
}

async function swapInto(staging: string, outDir: string): Promise<void> {
  await mkdir(path.dirname(outDir), { recursive: true });
  const old = `${outDir}.old-${process.pid}`;
  if (existsSync(outDir)) await rename(outDir, old);
  await rename(staging, outDir);
  await rm(old, { recursive: true, force: true });
}
