/**
 * The one way the page talks to its workers (data, training, inference, and the engines' thread
 * pools): Comlink. A worker `serve`s an object; the page `connect`s to it and calls its methods as
 * async functions. One convention for everything that crosses:
 * - a request is a method call; its answer is the returned promise (Comlink numbers the calls);
 * - progress is a callback passed with `callback(fn)`: the worker calls it as often as it likes;
 * - work the page may abandon (a data load, a training run) is named by an id the page chooses,
 *   and a superseded or disposed request rejects with `Cancelled` (a class, not a message to match);
 * - failures are thrown in the worker and rejected in the page, keeping `Cancelled` and
 *   `WorkerFailed` as their classes; a worker that dies rejects every pending call with `WorkerFailed`;
 * - large arrays are moved, not copied: `transfer(value, buffers)` on either side.
 * Comlink rather than our own client: it already does ids, proxies for callbacks, transfers and
 * error passing, is small (≈ 1,200 lines) and is maintained by the Chrome team.
 */
import * as Comlink from 'comlink';

export type Remote<Api> = Comlink.Remote<Api>;

/** A request the page gave up on: superseded by a newer one, or its client was disposed. */
export class Cancelled extends Error {
  constructor(message = 'Cancelled') {
    super(message);
    this.name = 'Cancelled';
  }
}

/** The worker itself failed (an uncaught error, a module that did not load, no memory left). */
export class WorkerFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerFailed';
  }
}

const REVIVED: Record<string, new (message: string) => Error> = { Cancelled, WorkerFailed };

// Comlink sends a thrown Error as its name, message and stack and rethrows a plain Error; ours come
// back as their own classes, so callers test `instanceof Cancelled` instead of matching messages.
const stockThrowHandler = Comlink.transferHandlers.get('throw')!;
Comlink.transferHandlers.set('throw', {
  canHandle: stockThrowHandler.canHandle,
  serialize: stockThrowHandler.serialize,
  deserialize(serialized: unknown): never {
    try {
      stockThrowHandler.deserialize(serialized);
    } catch (error) {
      const Revived = error instanceof Error ? REVIVED[error.name] : undefined;
      if (!Revived || !(error instanceof Error)) throw error;
      const revived = new Revived(error.message);
      revived.stack = error.stack;
      throw revived;
    }
    throw new Error('Comlink returned from a thrown value');
  },
});

/** Marks a function argument as a callback the other side may call (a progress or event stream). */
export const callback = <F extends (...args: never[]) => unknown>(fn: F): F & Comlink.ProxyMarked => Comlink.proxy(fn);

/** Moves `buffers` (owned by `value`) to the other side instead of copying them. */
export const transfer = <T>(value: T, buffers: Transferable[]): T => Comlink.transfer(value, buffers);

/** Releases a callback received from the page once the worker will not call it again. */
export function release(remoteCallback: unknown): void {
  const release = (remoteCallback as { [Comlink.releaseProxy]?: () => void } | null)?.[Comlink.releaseProxy];
  release?.();
}

/** Inside a worker (or on any message port): answers calls to `api`'s methods. */
export function serve<Api extends object>(api: Api, endpoint?: Comlink.Endpoint): void {
  Comlink.expose(api, endpoint);
}

/** What `connect` returns: the worker's methods, guarded against its failure, and a way to end it. */
export interface Connection<Api> {
  /**
   * Calls into the worker. The promise rejects with `WorkerFailed` if the worker dies first and
   * with `Cancelled` once the connection is disposed (Comlink alone would leave it pending forever).
   */
  call<T>(invoke: (api: Remote<Api>) => Promise<T>): Promise<T>;
  /** Terminates the worker; pending calls reject with `Cancelled`. */
  dispose(): void;
}

type WorkerLike = Comlink.Endpoint & { terminate?: () => void };

/** The page's side of a worker served with `serve`. `label` names it in error messages. */
export function connect<Api>(worker: WorkerLike, label: string): Connection<Api> {
  const api = Comlink.wrap<Api>(worker);
  let rejectAll: (error: Error) => void = () => {};
  let failure: Error | null = null;
  const failed = new Promise<never>((_, reject) => {
    rejectAll = reject;
  });
  failed.catch(() => {}); // observed by each call's race; never an unhandled rejection on its own
  const fail = (error: Error) => {
    if (failure) return;
    failure = error;
    rejectAll(error);
  };
  worker.addEventListener('error', ((event: ErrorEvent) => {
    event.preventDefault?.();
    fail(new WorkerFailed(`The ${label} worker failed: ${event.message || 'it could not start or crashed'}`));
  }) as EventListener);
  worker.addEventListener('messageerror', () => {
    fail(new WorkerFailed(`The ${label} worker sent a message that could not be read`));
  });
  return {
    call<T>(invoke: (api: Remote<Api>) => Promise<T>): Promise<T> {
      if (failure) return Promise.reject(failure);
      return Promise.race([invoke(api), failed]);
    },
    dispose() {
      fail(new Cancelled(`The ${label} worker was closed`));
      worker.terminate?.();
    },
  };
}

/**
 * Work where only the newest request matters (loading a dataset while the user changes settings):
 * starting one cancels the one before, whose promise rejects with `Cancelled` at once, and tells
 * the worker through `onSuperseded` so it can stop early.
 */
export class Superseding {
  private nextId = 1;
  private current: { id: number; reject: (error: Cancelled) => void } | null = null;

  /** Whether `id` is the newest request and still running (late progress from older ones is dropped). */
  isCurrent(id: number): boolean {
    return this.current?.id === id;
  }

  run<T>(start: (id: number) => Promise<T>, onSuperseded: (id: number) => void): Promise<T> {
    const previous = this.current;
    if (previous) {
      previous.reject(new Cancelled('Superseded by a newer request'));
      onSuperseded(previous.id);
    }
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.current = { id, reject };
      start(id).then(
        (value) => {
          if (this.current?.id === id) this.current = null;
          resolve(value);
        },
        (error: unknown) => {
          if (this.current?.id === id) this.current = null;
          reject(error);
        },
      );
    });
  }
}
