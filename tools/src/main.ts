import { connect } from '../../src/workers/rpc';
import { caseFromSearch } from './benchProtocol';
import type { TrainingBenchApi } from './trainingBench.worker';
import { publishBenchOutcome } from './hooks';

/** The benchmark page: runs the case named in its URL in a worker and publishes the result. */
const output = document.getElementById('result')!;
const benchCase = caseFromSearch(window.location.search);
output.textContent = `running ${JSON.stringify(benchCase)}…`;
const worker = new Worker(new URL('./trainingBench.worker.ts', import.meta.url), { type: 'module' });
const connection = connect<TrainingBenchApi>(worker, 'benchmark');
connection
  .call((api) => api.run(benchCase))
  .then(
    (result) => publishBenchOutcome(output, result),
    (error: unknown) =>
      publishBenchOutcome(output, { case: benchCase, error: error instanceof Error ? error.message : String(error) }),
  );
