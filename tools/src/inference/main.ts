import { runBenchPage } from '../hooks';
import { caseFromSearch, type InferenceBenchCase, type InferenceBenchResult } from './protocol';

/** The inference benchmark page: runs the case in its URL in a worker, as the app does, and publishes the result. */
runBenchPage<InferenceBenchCase, InferenceBenchResult>(
  caseFromSearch(window.location.search),
  new Worker(new URL('./inferenceBench.worker.ts', import.meta.url), { type: 'module' }),
);
