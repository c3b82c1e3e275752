import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import cliProgress from 'cli-progress';

/**
 * Downloads `url` to `destination` with a terminal progress bar. The bytes go to a `.part` file
 * that is renamed only once complete, so an interrupted download never looks like a finished one.
 */
export async function downloadWithProgress(url: string, destination: string): Promise<void> {
  await mkdir(path.dirname(destination), { recursive: true });
  const partial = `${destination}.part`;
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(
      `Could not download the IMDB dataset from ${url} (${cause?.code ?? cause?.message ?? (error as Error).message}).\n` +
        'If this machine is offline, pass a local copy of aclImdb_v1.tar.gz with --tarball <path> or IMDB_TARBALL=<path>.',
      { cause: error },
    );
  }
  if (!response.ok || !response.body) {
    throw new Error(`Could not download the IMDB dataset from ${url}: HTTP ${response.status} ${response.statusText}`);
  }
  const total = Number(response.headers.get('content-length') ?? 0);
  const bar = new cliProgress.SingleBar(
    {
      format:
        'Downloading aclImdb_v1.tar.gz [{bar}] {percentage}% | {value_mb}/{total_mb} MB | {speed} MB/s | ETA {eta_formatted}',
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  const started = Date.now();
  let received = 0;
  bar.start(total || 1, 0, { value_mb: '0.0', total_mb: total ? mb(total) : '?', speed: '0.0' });
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      bar.update(total ? received : 0, { value_mb: mb(received), speed: (received / 1e6 / seconds).toFixed(1) });
      callback(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(response.body as import('node:stream/web').ReadableStream),
      counter,
      createWriteStream(partial),
    );
    bar.stop();
    if (total && received !== total) throw new Error(`Download ended after ${received} of ${total} bytes`);
    await rename(partial, destination);
  } catch (error) {
    bar.stop();
    await rm(partial, { force: true });
    throw error;
  }
}
