import { publishBenchOutcome } from '../hooks';
import { connect } from '../../../src/workers/rpc';
import { caseFromSearch } from './protocol';
import type { InferenceBenchApi } from './inferenceBench.worker';

/** The inference benchmark page: runs the case in its URL in a worker, as the app does, and publishes the result. */
const output = document.getElementById('result')!;
const benchCase = caseFromSearch(window.location.search);
output.textContent = `running ${JSON.stringify(benchCase)}…`;
const worker = new Worker(new URL('./inferenceBench.worker.ts', import.meta.url), { type: 'module' });
const connection = connect<InferenceBenchApi>(worker, 'benchmark');
connection
  .call((api) => api.run(benchCase))
  .then(
    (result) => publishBenchOutcome(output, result),
    (error: unknown) =>
      publishBenchOutcome(output, { case: benchCase, error: error instanceof Error ? error.message : String(error) }),
  );
