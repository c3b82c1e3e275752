/**
 * The WebAssembly engine's threads: the training worker is thread 0 and helper workers (each with
 * its own instance of the threads build over the run's one shared memory) run the other shares of
 * each phase. The helpers are started by the worker layer (src/workers/wasmThread/) through the
 * app's worker RPC; this module only says how many there may be and how a step is split.
 */

export type PhaseName =
  'phasePrepare' | 'phasePrepareForward' | 'phaseForwardBackward' | 'phaseForward' | 'phaseEmbedding' | 'phaseOptimize';

/**
 * Threads besides the caller, running kernel phases on the run's shared memory. One call per
 * helper, not one for all of them: when one fails the caller still hears from each of the others
 * (done or failed), so it knows that none is still writing the memory before it reads it.
 */
export interface KernelHelpers {
  readonly count: number;
  /**
   * Runs `phase` on helper `thread` (1…count) with `args`; resolves when its share is done,
   * rejects when the helper failed or died before answering.
   */
  run(thread: number, phase: PhaseName, args: number[]): Promise<void>;
  /** Ends every helper. */
  dispose(): void;
}

/** Starts `count` helpers, each instantiating `module` (the threads build) over `memory` (shared). */
export type StartHelpers = (
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  count: number,
) => Promise<KernelHelpers>;

export interface ThreadPlan {
  threads: number;
  /** Why the run uses fewer threads than the machine has cores, when it does. */
  note: string | null;
}

/**
 * One thread per core (`navigator.hardwareConcurrency`), at most one per row of the batch; one
 * thread where the page is not cross-origin isolated (no SharedArrayBuffer), saying so.
 */
export function planThreads(
  where: { crossOriginIsolated: boolean; hardwareConcurrency: number },
  batchSize: number,
): ThreadPlan {
  const cores = Math.max(1, Math.floor(where.hardwareConcurrency) || 1);
  if (!where.crossOriginIsolated)
    return {
      threads: 1,
      note:
        cores > 1
          ? `one thread of ${cores}: this page is not cross-origin isolated (its server must send ` +
            'Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), so threads cannot share memory'
          : null,
    };
  return { threads: Math.max(1, Math.min(cores, batchSize)), note: null };
}

/** Thread `thread`'s rows `[from, to)` of a batch of `rows` split as evenly as whole rows allow. */
export function rowShare(rows: number, thread: number, threads: number): [number, number] {
  return [Math.floor((rows * thread) / threads), Math.floor((rows * (thread + 1)) / threads)];
}
