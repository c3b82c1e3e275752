import { caseFromSearch, type InferenceBenchResult } from './protocol';

/** The inference benchmark page: runs the case in its URL in a worker, as the app does, and publishes the result. */
const output = document.getElementById('result')!;
const benchCase = caseFromSearch(window.location.search);
output.textContent = `running ${JSON.stringify(benchCase)}…`;
const worker = new Worker(new URL('./inferenceBench.worker.ts', import.meta.url), { type: 'module' });
const publish = (result: unknown) => {
  (window as unknown as { __benchResult: unknown }).__benchResult = result;
  output.textContent = JSON.stringify(result, null, 2);
};
worker.onmessage = (event: MessageEvent<InferenceBenchResult>) => publish(event.data);
worker.onerror = (event) =>
  publish({ case: benchCase, error: `The benchmark worker failed: ${event.message || 'could not start'}` });
worker.postMessage(benchCase);
