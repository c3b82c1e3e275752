import { caseFromSearch, type TrainingBenchResult } from './benchProtocol';
import { publishBenchOutcome } from './hooks';

/** The benchmark page: runs the case named in its URL in a worker and publishes the result. */
const output = document.getElementById('result')!;
const benchCase = caseFromSearch(window.location.search);
output.textContent = `running ${JSON.stringify(benchCase)}…`;
const worker = new Worker(new URL('./trainingBench.worker.ts', import.meta.url), { type: 'module' });
worker.onmessage = (event: MessageEvent<TrainingBenchResult>) => publishBenchOutcome(output, event.data);
worker.onerror = (event) =>
  publishBenchOutcome(output, {
    case: benchCase,
    error: `The benchmark worker failed: ${event.message || 'could not start'}`,
  });
worker.postMessage(benchCase);
