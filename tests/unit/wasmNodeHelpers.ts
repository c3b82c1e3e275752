/**
 * The WebAssembly engine's helper threads as Node worker threads (the browser's are Web Workers
 * behind Comlink, src/workers/wasmThread/), each with its own instance of the threads build over
 * the run's shared memory. A helper can be told to die in the middle of a phase: it does part of
 * its share (half of its rows, where the phase splits rows; none of it otherwise) and then its
 * thread exits, so the memory is left as a helper killed mid-phase leaves it. Its death rejects
 * the phase with `WorkerFailed`, as src/workers/rpc.ts rejects the calls of a Web Worker that died.
 */
import { Worker } from 'node:worker_threads';
import type { KernelHelpers, PhaseName, StartHelpers } from '../../src/model/wasm/threads';
import { WorkerFailed } from '../../src/workers/rpc';

// Plain CommonJS evaluated in the worker: run whatever phase the main thread asks for and answer
// when done (the barrier between phases), or, told to die, do part of the share and exit.
const HELPER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory } = workerData;
const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ROW_PHASES = ['phaseForwardBackward', 'phaseForward'];
parentPort.on('message', ({ phase, args, die }) => {
  if (die) {
    if (ROW_PHASES.includes(phase)) {
      const [cfg, thread, from, to] = args;
      kernels[phase](cfg, thread, from, from + Math.floor((to - from) / 2));
    }
    process.exit(1);
  }
  kernels[phase](...args);
  parentPort.postMessage('done');
});
`;

/** Which helper dies, in which phase, the how-many-th time (from 1) it is handed that phase. */
export interface HelperDeath {
  thread: number;
  phase: PhaseName;
  call: number;
}

export interface NodeHelpers {
  start: StartHelpers;
  /** How many helpers were started, over every `start`. */
  started(): number;
  /** Resolves when every helper started has exited (died or was ended by `dispose`); rejects after 5 s. */
  allExited(): Promise<void>;
  /** Ends every helper still running (after a test, whatever it left). */
  endAll(): Promise<void>;
}

export function nodeHelpers(death?: HelperDeath): NodeHelpers {
  const exits: Promise<number>[] = [];
  const all: Worker[] = [];
  const start: StartHelpers = async (module, memory, count) => {
    const workers = Array.from({ length: count }, () => {
      const worker = new Worker(HELPER_SOURCE, { eval: true, workerData: { module, memory } });
      all.push(worker);
      const exited = { code: null as number | null };
      exits.push(
        new Promise<number>((resolve) =>
          worker.once('exit', (code) => {
            exited.code = code;
            resolve(code);
          }),
        ),
      );
      return { worker, exited };
    });
    const calls = new Map<string, number>();
    const dead = (thread: number, what: string) =>
      new WorkerFailed(`The WebAssembly thread ${thread} worker failed: ${what}`);
    const helpers: KernelHelpers = {
      count,
      run(thread, phase, args) {
        const { worker, exited } = workers[thread - 1]!;
        if (exited.code !== null) return Promise.reject(dead(thread, `it exited with code ${exited.code}`));
        const key = `${thread} ${phase}`;
        const call = (calls.get(key) ?? 0) + 1;
        calls.set(key, call);
        const die = death?.thread === thread && death.phase === phase && death.call === call;
        return new Promise<void>((resolve, reject) => {
          const off = () => {
            worker.off('message', answered);
            worker.off('exit', exit);
            worker.off('error', error);
          };
          const answered = () => {
            off();
            resolve();
          };
          const exit = (code: number) => {
            off();
            reject(dead(thread, `it exited with code ${code}`));
          };
          const error = (cause: Error) => {
            off();
            reject(dead(thread, cause.message));
          };
          worker.on('message', answered);
          worker.on('exit', exit);
          worker.on('error', error);
          worker.postMessage({ phase, args, die });
        });
      },
      dispose: () => workers.forEach(({ worker }) => void worker.terminate()),
    };
    return helpers;
  };
  return {
    start,
    started: () => exits.length,
    allExited: async () => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('WebAssembly helper threads still running after 5 s')), 5000);
      });
      await Promise.race([Promise.all(exits), late]).finally(() => clearTimeout(timer));
    },
    endAll: async () => {
      await Promise.all(all.map((worker) => worker.terminate()));
    },
  };
}
