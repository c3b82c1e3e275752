/**
 * One shard's download, retried with backoff: a dropped connection, a server that closes after
 * part of the bytes, a body that does not hash to the manifest's sha256 or a transient HTTP status
 * is tried again a few times; what is returned has exactly the manifest's bytes and hash, so a
 * partial or corrupt response is never cached or used.
 */
import type { ShardInfo } from './manifest';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** Wait before the 2nd try; doubled before each later one. */
  firstDelayMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 4,
  firstDelayMs: 500,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A download that failed every try for a reason that may pass (the network): the page offers Retry. */
export class ShardDownloadError extends Error {
  readonly retryable = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ShardDownloadError';
  }
}

/** Statuses worth another try: timeouts, rate limits and server errors. */
const TRANSIENT_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

export function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

const megabytes = (n: number) => `${(n / 1e6).toFixed(n < 1e6 ? 2 : 1)} MB`;

/** Why one try failed; `fatal` ones are not tried again. */
class AttemptFailed extends Error {
  constructor(
    message: string,
    readonly fatal: boolean,
    options?: ErrorOptions & { corrupt?: boolean },
  ) {
    super(message, options);
    this.corrupt = options?.corrupt ?? false;
  }
  /** The whole body arrived but hashed wrong. */
  readonly corrupt: boolean;
}

/** Reads a response body chunk by chunk, reporting each chunk's size. */
async function readBody(response: Response, onBytes: (n: number) => void): Promise<Uint8Array> {
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onBytes(bytes.length);
    return bytes;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
    onBytes(value.length);
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

async function tryOnce(
  url: string,
  shard: ShardInfo,
  fetchImpl: typeof fetch,
  onBytes: (n: number) => void,
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetchImpl(url);
  } catch (error) {
    throw new AttemptFailed(`the request failed (${(error as Error).message})`, false, { cause: error });
  }
  if (!response.ok) {
    const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    throw new AttemptFailed(status, !TRANSIENT_STATUS.has(response.status));
  }
  let received = 0;
  let bytes: Uint8Array;
  try {
    bytes = await readBody(response, (n) => {
      received += n;
      onBytes(n);
    });
  } catch (error) {
    throw new AttemptFailed(
      `the connection was cut after ${megabytes(received)} of ${megabytes(shard.bytes)} (${(error as Error).message})`,
      false,
      { cause: error },
    );
  }
  if (bytes.length !== shard.bytes) {
    throw new AttemptFailed(
      bytes.length < shard.bytes
        ? `the server sent ${megabytes(bytes.length)} of ${megabytes(shard.bytes)} and closed the connection`
        : `the server sent ${megabytes(bytes.length)}, more than the manifest's ${megabytes(shard.bytes)}`,
      false,
    );
  }
  const digest = await sha256Hex(bytes);
  if (digest !== shard.sha256) {
    throw new AttemptFailed(
      `its sha256 is ${digest.slice(0, 12)}…, the manifest expects ${shard.sha256.slice(0, 12)}…`,
      false,
      { corrupt: true },
    );
  }
  return bytes;
}

/**
 * The shard's verified bytes. `onBytes` hears every chunk received, and a negative count when a
 * failed try's bytes are taken back, so a progress bar never counts a byte twice.
 */
export async function downloadShard(
  url: string,
  shard: ShardInfo,
  fetchImpl: typeof fetch,
  onBytes: (n: number) => void,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<Uint8Array> {
  let last: AttemptFailed | null = null;
  let everyTryCorrupt = true;
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    if (attempt > 1) await policy.sleep(policy.firstDelayMs * 2 ** (attempt - 2));
    let counted = 0;
    try {
      return await tryOnce(url, shard, fetchImpl, (n) => {
        counted += n;
        onBytes(n);
      });
    } catch (error) {
      if (!(error instanceof AttemptFailed)) throw error;
      onBytes(-counted);
      last = error;
      everyTryCorrupt &&= error.corrupt;
      if (error.fatal) break;
    }
  }
  // The same wrong bytes every time: the file itself is corrupt, not the connection.
  if (last?.corrupt && everyTryCorrupt)
    throw new Error(
      `Shard ${shard.file} is corrupt: ${last.message} (on each of ${policy.attempts} tries). ` +
        'Rebuild the data with "npm run data".',
      { cause: last },
    );
  const tries = last?.fatal ? '' : ` after ${policy.attempts} tries`;
  const hint = last?.fatal
    ? 'Rebuild the data with "npm run data".'
    : 'Check the connection and press Retry; the shards already verified are kept.';
  const message = `Could not download shard ${shard.file}${tries}: ${last?.message ?? 'no try was made'}. ${hint}`;
  if (last?.fatal) throw new Error(message, { cause: last });
  throw new ShardDownloadError(message, { cause: last });
}
