import { publishBenchOutcome } from '../hooks';
import { caseFromSearch, type InferenceBenchResult } from './protocol';

/** The inference benchmark page: runs the case in its URL in a worker, as the app does, and publishes the result. */
const output = document.getElementById('result')!;
const benchCase = caseFromSearch(window.location.search);
output.textContent = `running ${JSON.stringify(benchCase)}…`;
const worker = new Worker(new URL('./inferenceBench.worker.ts', import.meta.url), { type: 'module' });
worker.onmessage = (event: MessageEvent<InferenceBenchResult>) => publishBenchOutcome(output, event.data);
worker.onerror = (event) =>
  publishBenchOutcome(output, {
    case: benchCase,
    error: `The benchmark worker failed: ${event.message || 'could not start'}`,
  });
worker.postMessage(benchCase);
