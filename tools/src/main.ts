import { caseFromSearch, type TrainingBenchCase, type TrainingBenchResult } from './benchProtocol';
import { runBenchPage } from './hooks';

/** The training benchmark page: runs the case named in its URL in a worker and publishes the result. */
runBenchPage<TrainingBenchCase, TrainingBenchResult>(
  caseFromSearch(window.location.search),
  new Worker(new URL('./trainingBench.worker.ts', import.meta.url), { type: 'module' }),
);
