/**
 * npm run data [-- --tarball <path>] [--out <dir>] [--shard-size N] [--seed N] [--force]
 *
 * Builds the gzip shards the app loads from the aclImdb v1 tarball.
 */
import { parseArgs } from 'node:util';
import { buildDataset } from './lib/buildDataset';
import { DEFAULT_OUT_DIR } from './lib/paths';
import { resolveTarball } from './lib/source';

async function main(): Promise<void> {
  const started = performance.now();
  const { values } = parseArgs({
    options: {
      tarball: { type: 'string' },
      out: { type: 'string', default: DEFAULT_OUT_DIR },
      'shard-size': { type: 'string', default: '5000' },
      seed: { type: 'string', default: '1337' },
      force: { type: 'boolean', default: false },
    },
  });
  const shardSize = Number(values['shard-size']);
  const seed = Number(values.seed);
  if (!Number.isInteger(shardSize) || shardSize < 1) throw new Error('--shard-size must be a positive integer');
  if (!Number.isInteger(seed)) throw new Error('--seed must be an integer');
  const source = await resolveTarball({ explicitPath: values.tarball, environmentPath: process.env.IMDB_TARBALL });
  console.log(`Source: ${source.path} (${source.origin})`);
  const result = await buildDataset({
    tarball: source.path,
    outDir: values.out,
    shardSize,
    seed,
    force: values.force,
    log: (line) => console.log(line),
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (result.status === 'up-to-date') {
    console.log(`Dataset in ${values.out} is up to date with its source; nothing to do (${seconds} s).`);
  } else {
    const { train, test } = result.manifest.splits;
    console.log(`Wrote ${train.reviews} train and ${test.reviews} test reviews to ${values.out} in ${seconds} s.`);
  }
}

main().catch((error: unknown) => {
  console.error(`npm run data failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
