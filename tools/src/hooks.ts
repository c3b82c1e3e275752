/**
 * What the benchmark and test pages publish on `window` for the scripts and Playwright tests that
 * drive them (scripts/bench*.ts, e2e/fusedEngine.spec.ts), typed in one place.
 */
import type { TrainingBenchResult } from './benchProtocol';
import type {
  EngineCheckCase,
  EngineCheckResult,
  ModelCheckCase,
  ModelCheckResult,
  ShaderCacheCheck,
  TrainingStepsCase,
  TrainingStepsResult,
} from './engineCheck';
import type { InferenceBenchResult } from './inference/protocol';
import type { WasmBenchResult } from './wasm/protocol';
import { connect } from '../../src/workers/rpc';

/** A benchmark page's outcome: its result, or the case and why it could not run. */
export type BenchOutcome<R> = R | { case: unknown; error: string };

declare global {
  interface Window {
    __benchResult?: BenchOutcome<TrainingBenchResult | InferenceBenchResult | WasmBenchResult>;
    __engineCheck?: (cases: EngineCheckCase[]) => Promise<EngineCheckResult[]>;
    __engineBackend?: string;
    __modelCheck?: (cases: ModelCheckCase[]) => Promise<ModelCheckResult[]>;
    __shaderCacheCheck?: () => Promise<ShaderCacheCheck>;
    __trainSteps?: (engine: 'stock' | 'fused', c: TrainingStepsCase) => Promise<TrainingStepsResult>;
  }
}

/** Shows a benchmark page's outcome and publishes it for the script waiting on it. */
export function publishBenchOutcome<R>(output: HTMLElement, outcome: BenchOutcome<R>): void {
  window.__benchResult = outcome as Window['__benchResult'];
  output.textContent = JSON.stringify(outcome, null, 2);
}

/**
 * A benchmark page: runs `benchCase` with the `run` method its worker serves, shows the case while
 * it runs, and publishes the result (or why it could not run) for the script waiting on it.
 */
export function runBenchPage<C, R>(benchCase: C, worker: Worker): void {
  const output = document.getElementById('result')!;
  output.textContent = `running ${JSON.stringify(benchCase)}…`;
  connect<{ run(benchCase: C): Promise<R> }>(worker, 'benchmark')
    // Comlink's Remote type cannot see through a type parameter; the case is plain data, sent as is.
    .call((api) => api.run(benchCase as Parameters<typeof api.run>[0]))
    .then(
      (result) => publishBenchOutcome(output, result),
      (error: unknown) =>
        publishBenchOutcome(output, { case: benchCase, error: error instanceof Error ? error.message : String(error) }),
    );
}
