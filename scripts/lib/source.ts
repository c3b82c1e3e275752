import { existsSync } from 'node:fs';
import { DOWNLOAD_CACHE, OFFICIAL_URL, SHARED_TARBALL } from './paths';
import { downloadWithProgress } from './download';

export interface TarballSource {
  path: string;
  /** How the path was found, for the log. */
  origin: 'argument' | 'environment' | 'download cache' | 'shared copy' | 'downloaded';
}

export interface SourceOptions {
  explicitPath?: string | undefined;
  environmentPath?: string | undefined;
  cachePath?: string;
  sharedPath?: string;
  url?: string;
  download?: (url: string, destination: string) => Promise<void>;
}

/**
 * Where the tarball comes from, in order: an explicit path (flag, then IMDB_TARBALL), a cached
 * download, the copy in ../shared, and finally the official download into the cache.
 */
export async function resolveTarball(options: SourceOptions = {}): Promise<TarballSource> {
  const explicit = (p: string | undefined, origin: TarballSource['origin']): TarballSource | undefined => {
    if (!p) return undefined;
    if (!existsSync(p)) throw new Error(`The IMDB tarball ${p} (from ${origin}) does not exist.`);
    return { path: p, origin };
  };
  const given = explicit(options.explicitPath, 'argument') ?? explicit(options.environmentPath, 'environment');
  if (given) return given;
  const cache = options.cachePath ?? DOWNLOAD_CACHE;
  if (existsSync(cache)) return { path: cache, origin: 'download cache' };
  const shared = options.sharedPath ?? SHARED_TARBALL;
  if (existsSync(shared)) return { path: shared, origin: 'shared copy' };
  await (options.download ?? downloadWithProgress)(options.url ?? OFFICIAL_URL, cache);
  return { path: cache, origin: 'downloaded' };
}
