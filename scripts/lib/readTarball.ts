import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { normalizeReview } from '../../src/text/normalize';
import type { Review, Split } from '../../src/data/review';

export type ReviewsBySplit = Record<Split, Review[]>;

const REVIEW_PATH = /^(?:\.\/)?aclImdb\/(train|test)\/(pos|neg)\/(\d+)_(\d+)\.txt$/;

/**
 * Streams the aclImdb tarball (gzip + tar) and keeps the labeled reviews in memory; nothing is
 * extracted to disk. Everything else in the archive (unsup reviews, vocab, feature files) is skipped.
 */
export async function readImdbTarball(file: string): Promise<ReviewsBySplit> {
  const reviews: ReviewsBySplit = { train: [], test: [] };
  const extract = tar.extract();
  const consume = (async () => {
    for await (const entry of extract) {
      const match = REVIEW_PATH.exec(entry.header.name);
      if (!match || entry.header.type !== 'file') {
        entry.resume();
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      const [, split, polarity, id, rating] = match;
      reviews[split as Split].push({
        id: Number(id),
        rating: Number(rating),
        label: polarity === 'pos' ? 1 : 0,
        text: normalizeReview(Buffer.concat(chunks).toString('utf8')),
      });
    }
  })();
  try {
    await Promise.all([pipeline(createReadStream(file), createGunzip(), extract), consume]);
  } catch (error) {
    throw new Error(`${file} is not a readable aclImdb tar.gz archive: ${(error as Error).message}`, { cause: error });
  }
  for (const split of ['train', 'test'] as const) {
    const list = reviews[split];
    if (!list.some((r) => r.label === 1) || !list.some((r) => r.label === 0)) {
      throw new Error(
        `${file} does not look like the aclImdb v1 dataset: it has no aclImdb/${split}/pos and aclImdb/${split}/neg reviews.`,
      );
    }
    // Archive order must not matter: sort before the seeded shuffle.
    list.sort((a, b) => b.label - a.label || a.id - b.id);
  }
  return reviews;
}
