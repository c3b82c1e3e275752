import { caseFromSearch, type TrainingBenchResult } from './benchProtocol';

/** The benchmark page: runs the case named in its URL in a worker and publishes the result. */
const output = document.getElementById('result')!;
const benchCase = caseFromSearch(window.location.search);
output.textContent = `running ${JSON.stringify(benchCase)}…`;
const worker = new Worker(new URL('./trainingBench.worker.ts', import.meta.url), { type: 'module' });
worker.onmessage = (event: MessageEvent<TrainingBenchResult>) => {
  (window as unknown as { __benchResult: TrainingBenchResult }).__benchResult = event.data;
  output.textContent = JSON.stringify(event.data, null, 2);
};
worker.onerror = (event) => {
  const result = { case: benchCase, error: `The benchmark worker failed: ${event.message || 'could not start'}` };
  (window as unknown as { __benchResult: unknown }).__benchResult = result;
  output.textContent = JSON.stringify(result, null, 2);
};
worker.postMessage(benchCase);
