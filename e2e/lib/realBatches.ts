import { readShard } from '../../scripts/lib/shards';
import { padSequences } from '../../src/text/pad';
import { Tokenizer } from '../../src/text/tokenizer';

export interface RealBatches {
  batches: Array<{ ids: number[]; labels: number[] }>;
  /** Largest id used plus one. */
  vocabulary: number;
}

/**
 * Real padded id matrices, as the app makes them: a Keras tokenizer fitted on the reviews of
 * train-000 (so ids reach numWords − 1), its first reviews pre-padded and pre-truncated to maxlen (long runs of token 0 in front of short reviews,
 * repeated tokens), cut into batches of the given sizes in order.
 */
export function realBatches(options: { sizes: number[]; maxlen: number; numWords: number }): RealBatches {
  const { sizes, maxlen, numWords } = options;
  const total = sizes.reduce((a, b) => a + b, 0);
  const shard = readShard('train-000.json.gzip');
  if (shard.length < total) throw new Error(`train-000 has only ${shard.length} reviews`);
  const tokenizer = new Tokenizer({ numWords });
  const sequences = tokenizer.fitOnTextsAndEncode(shard.map((r) => r.text)).slice(0, total);
  const reviews = shard.slice(0, total);
  const padded = padSequences(sequences, { maxlen });
  const batches: RealBatches['batches'] = [];
  let from = 0;
  for (const size of sizes) {
    batches.push({
      ids: Array.from(padded.data.subarray(from * maxlen, (from + size) * maxlen)),
      labels: reviews.slice(from, from + size).map((r) => r.label),
    });
    from += size;
  }
  return { batches, vocabulary: numWords };
}
