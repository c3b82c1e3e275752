import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_OUT_DIR = path.join(PROJECT_ROOT, 'public', 'data', 'imdb');
export const DOWNLOAD_CACHE = path.join(PROJECT_ROOT, '.cache', 'imdb', 'aclImdb_v1.tar.gz');
export const SHARED_TARBALL = path.join(PROJECT_ROOT, '..', 'shared', 'data', 'aclImdb_v1-labeled.tar.gz');
export const OFFICIAL_URL = 'https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz';
