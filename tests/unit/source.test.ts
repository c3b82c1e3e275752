import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { downloadWithProgress } from '../../scripts/lib/download';
import { resolveTarball } from '../../scripts/lib/source';
import { tempDir } from './fixtures';

describe('resolveTarball', () => {
  it('prefers the flag, then IMDB_TARBALL, then the cache, then ../shared, then a download', async () => {
    const dir = await tempDir();
    const [flag, env, cache, shared] = ['flag', 'env', 'cache', 'shared'].map((n) => path.join(dir, `${n}.tar.gz`)) as [
      string,
      string,
      string,
      string,
    ];
    for (const f of [flag, env, shared]) await writeFile(f, 'x');
    const downloads: string[] = [];
    const download = async (url: string, destination: string) => {
      downloads.push(url);
      await writeFile(destination, 'downloaded');
    };
    const base = { cachePath: cache, sharedPath: shared, url: 'https://example.invalid/aclImdb_v1.tar.gz', download };
    expect(await resolveTarball({ ...base, explicitPath: flag, environmentPath: env })).toEqual({
      path: flag,
      origin: 'argument',
    });
    expect(await resolveTarball({ ...base, environmentPath: env })).toEqual({ path: env, origin: 'environment' });
    expect(await resolveTarball(base)).toEqual({ path: shared, origin: 'shared copy' });
    expect(await resolveTarball({ ...base, sharedPath: path.join(dir, 'none') })).toEqual({
      path: cache,
      origin: 'downloaded',
    });
    expect(downloads).toEqual(['https://example.invalid/aclImdb_v1.tar.gz']);
    expect(await resolveTarball(base)).toEqual({ path: cache, origin: 'download cache' });
  });

  it('fails clearly when a given path does not exist', async () => {
    await expect(resolveTarball({ explicitPath: '/nonexistent/aclImdb.tar.gz' })).rejects.toThrow(/does not exist/);
  });
});

describe('downloadWithProgress', () => {
  it('fails with a clear message when offline and leaves no partial file', async () => {
    const dir = await tempDir();
    const destination = path.join(dir, 'aclImdb_v1.tar.gz');
    // Port 9 (discard) on loopback refuses connections here, as an offline machine would.
    await expect(downloadWithProgress('http://127.0.0.1:9/aclImdb_v1.tar.gz', destination)).rejects.toThrow(
      /Could not download the IMDB dataset .*--tarball/s,
    );
    const { existsSync } = await import('node:fs');
    expect(existsSync(destination)).toBe(false);
    expect(existsSync(`${destination}.part`)).toBe(false);
  });
});
