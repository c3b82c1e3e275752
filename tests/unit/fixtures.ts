import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

export interface FixtureReview {
  split: 'train' | 'test';
  polarity: 'pos' | 'neg';
  id: number;
  rating: number;
  text: string;
}

/** A small tarball in the official aclImdb v1 layout, with some entries the reader must skip. */
export async function makeImdbTarball(dir: string, perLabel = 6): Promise<{ file: string; reviews: FixtureReview[] }> {
  const reviews: FixtureReview[] = [];
  for (const split of ['train', 'test'] as const) {
    for (const polarity of ['pos', 'neg'] as const) {
      for (let id = 0; id < perLabel; id++) {
        const rating = polarity === 'pos' ? 7 + (id % 4) : 1 + (id % 4);
        const mood = polarity === 'pos' ? 'great wonderful' : 'awful boring';
        reviews.push({
          split,
          polarity,
          id,
          rating,
          text: `Review ${id} of ${split}:<br /><br />A ${mood} film.\tReally  ${mood}!`,
        });
      }
    }
  }
  const pack = tar.pack();
  pack.entry({ name: 'aclImdb/README' }, 'Large Movie Review Dataset v1.0');
  pack.entry({ name: 'aclImdb/train/unsup/0_0.txt' }, 'an unlabeled review that must be skipped');
  pack.entry({ name: 'aclImdb/train/pos', type: 'directory' });
  for (const r of reviews) pack.entry({ name: `aclImdb/${r.split}/${r.polarity}/${r.id}_${r.rating}.txt` }, r.text);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  const file = path.join(dir, 'aclImdb_fixture.tar.gz');
  await writeFile(file, gzipSync(Buffer.concat(chunks)));
  return { file, reviews };
}

export const tempDir = () => mkdtemp(path.join(tmpdir(), 'sentiment-lab-'));
