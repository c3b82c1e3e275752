import { SPLITS, type Split } from './review';

export const MANIFEST_FORMAT_VERSION = 2;
export const SHARD_FORMAT_VERSION = 1;

export interface ShardInfo {
  file: string;
  /** Size of the gzip file. */
  bytes: number;
  /** sha256 of the gzip file, lowercase hex. */
  sha256: string;
  reviews: number;
  positives: number;
  negatives: number;
}

export interface SplitInfo {
  reviews: number;
  positives: number;
  negatives: number;
  shards: ShardInfo[];
}

export interface Manifest {
  formatVersion: number;
  source: { file: string; bytes: number; sha256: string };
  shardSize: number;
  seed: number;
  createdAt: string;
  splits: Record<Split, SplitInfo>;
}

/** The content of one shard file once decompressed. */
export interface ShardFile {
  formatVersion: number;
  split: Split;
  index: number;
  reviews: Array<{ id: number; rating: number; label: 0 | 1; text: string }>;
}

const HEX64 = /^[0-9a-f]{64}$/;

function fail(what: string): never {
  throw new Error(`The dataset manifest is malformed: ${what}. Rebuild it with "npm run data".`);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** Checks a parsed manifest's shape, so later code can trust every field it reads. */
export function validateManifest(value: unknown): Manifest {
  if (value === null || typeof value !== 'object') fail('not an object');
  const m = value as Partial<Manifest>;
  if (m.formatVersion !== MANIFEST_FORMAT_VERSION) {
    fail(`format version ${String(m.formatVersion)}, expected ${MANIFEST_FORMAT_VERSION}`);
  }
  if (!m.source || typeof m.source.sha256 !== 'string' || !HEX64.test(m.source.sha256)) fail('no source sha256');
  if (!m.splits || typeof m.splits !== 'object') fail('no splits');
  for (const split of SPLITS) {
    const info = m.splits[split];
    if (!info || !Array.isArray(info.shards)) fail(`no shards for "${split}"`);
    if (!isCount(info.reviews) || !isCount(info.positives) || !isCount(info.negatives))
      fail(`bad counts for "${split}"`);
    let sum = 0;
    for (const shard of info.shards) {
      if (typeof shard.file !== 'string' || !/^[\w.-]+$/.test(shard.file)) fail(`bad shard file name in "${split}"`);
      if (!isCount(shard.bytes) || !isCount(shard.reviews) || !HEX64.test(String(shard.sha256))) {
        fail(`bad entry for shard ${shard.file}`);
      }
      sum += shard.reviews;
    }
    if (sum !== info.reviews) fail(`the shards of "${split}" hold ${sum} reviews, not ${info.reviews}`);
  }
  return m as Manifest;
}

/** Checks a decompressed shard against what the manifest promised. */
export function validateShard(value: unknown, split: Split, info: ShardInfo): ShardFile {
  const bad: (what: string) => never = (what) => {
    throw new Error(`Shard ${info.file} is malformed: ${what}. Rebuild the data with "npm run data".`);
  };
  if (value === null || typeof value !== 'object') bad('not an object');
  const shard = value as Partial<ShardFile>;
  if (shard.formatVersion !== SHARD_FORMAT_VERSION) bad(`format version ${String(shard.formatVersion)}`);
  if (shard.split !== split) bad(`it belongs to split "${String(shard.split)}"`);
  const reviews = shard.reviews;
  if (!Array.isArray(reviews)) return bad('no reviews');
  if (reviews.length !== info.reviews) bad(`${reviews.length} reviews instead of ${info.reviews}`);
  for (const review of reviews) {
    if (typeof review.text !== 'string' || (review.label !== 0 && review.label !== 1))
      bad('a review has no text or label');
  }
  return shard as ShardFile;
}

/** The shards to load for `wanted` reviews of a split: the fewest leading shards that hold them. */
export function shardsFor(info: SplitInfo, wanted: number): ShardInfo[] {
  const chosen: ShardInfo[] = [];
  let have = 0;
  for (const shard of info.shards) {
    if (have >= wanted) break;
    chosen.push(shard);
    have += shard.reviews;
  }
  return chosen;
}
