import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Review, Split } from '../../src/data/review';
import { DEFAULT_OUT_DIR } from './paths';

/** The reviews of one shard built by `npm run data` (the real dataset, not a fixture). */
export function readShard(name: string, dir = DEFAULT_OUT_DIR): Review[] {
  const json = JSON.parse(gunzipSync(readFileSync(path.join(dir, name))).toString('utf8')) as { reviews: Review[] };
  return json.reviews;
}

/** Every review of a split, shard by shard as the manifest lists them. */
export function readSplit(split: Split, dir = DEFAULT_OUT_DIR): Review[] {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
    splits: Record<Split, { shards: Array<{ file: string }> }>;
  };
  return manifest.splits[split].shards.flatMap((shard) => readShard(shard.file, dir));
}

/** A split's reviews by (id, label), which is unique within a split. */
export function reviewLookup(reviews: readonly Review[]): (id: number, label: number) => Review {
  const byKey = new Map(reviews.map((r) => [`${r.id}/${r.label}`, r]));
  return (id, label) => {
    const review = byKey.get(`${id}/${label}`);
    if (!review) throw new Error(`No review ${id} with label ${label} in the shards`);
    return review;
  };
}
