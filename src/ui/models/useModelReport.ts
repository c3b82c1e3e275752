import { useCallback, useEffect, useRef, useState } from 'react';
import { isBaselineBundle, type AnyBundle } from '../../baseline/bundle';
import type { PackedTexts } from '../../data/packedTexts';
import type { Split } from '../../data/review';
import type { ModelTestReport, ReportProgress, ValidationSource } from '../../report/modelTestReport';
import { validationPlan } from '../../report/validationPlan';
import type { ModelKind } from '../../storage/modelStore';
import { InferenceClient } from '../../workers/inference/client';
import { Cancelled } from '../../workers/rpc';
import type { LoadedDataset } from '../useDataset';

/** Which saved model a report is of, and what its run reported on its own test reviews. */
export interface ReportedModel {
  savedId: number;
  name: string;
  kind: ModelKind;
  /** The run's own test accuracy and review count (metadata), to compare with. */
  runTest: { accuracy: number; count: number } | null;
}

export type ModelReportState =
  | { status: 'idle' }
  /** Asked for with no test reviews loaded: it runs once the dataset is. */
  | { status: 'needs-data'; model: ReportedModel }
  /** `model` is null while its bundle is read; `savedId` names the report asked for at once. */
  | { status: 'running'; savedId: number; model: ReportedModel | null; progress: ReportProgress | null }
  | {
      status: 'done';
      model: ReportedModel;
      result: ModelTestReport;
      /** The report's own worker, holding the model: it colours the mistakes' words. */
      client: InferenceClient;
    }
  | { status: 'error'; model: ReportedModel | null; message: string };

interface ReportInputs {
  readSaved: (id: number) => Promise<AnyBundle>;
  dataset: LoadedDataset | null;
  fetchTexts: (split: Split) => Promise<PackedTexts | null>;
  /** Loads the dataset the dataset panel's settings describe (null if it failed; the panel says why). */
  loadDataset: () => Promise<LoadedDataset | null>;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function reportedModel(savedId: number, bundle: AnyBundle): ReportedModel {
  const test = bundle.metadata.metrics.test;
  return {
    savedId,
    name: bundle.metadata.name,
    kind: isBaselineBundle(bundle) ? 'baseline' : 'lstm',
    runTest: test ? { accuracy: test.accuracy, count: test.count } : null,
  };
}

/**
 * A saved model's test report on demand. The model is loaded into an inference worker of the
 * report's own (the Classify box keeps its model and stays quick), which reads every loaded test
 * review; closing or starting another report ends that worker, which is how a long one is cancelled.
 */
export function useModelReport({ readSaved, dataset, fetchTexts, loadDataset }: ReportInputs) {
  const [state, setState] = useState<ModelReportState>({ status: 'idle' });
  const client = useRef<InferenceClient | null>(null);
  /** Counts reports asked for: an answer for an older one is dropped. */
  const generation = useRef(0);

  const endWorker = useCallback(() => {
    client.current?.dispose();
    client.current = null;
  }, []);
  useEffect(() => endWorker, [endWorker]);

  const run = useCallback(
    async (savedId: number, loaded: LoadedDataset | null = dataset) => {
      endWorker();
      const mine = ++generation.current;
      const current = () => mine === generation.current;
      let model: ReportedModel | null = null;
      // At once: the previous report must not stand in for this one while the bundle is read.
      setState({ status: 'running', savedId, model: null, progress: null });
      try {
        const bundle = await readSaved(savedId);
        model = reportedModel(savedId, bundle);
        if (!current()) return;
        if (!loaded) {
          setState({ status: 'needs-data', model });
          return;
        }
        setState({ status: 'running', savedId, model, progress: null });
        const plan = validationPlan(bundle.metadata, {
          sourceSha256: loaded.summary.sourceSha256,
          trainReviews: loaded.options.trainReviews,
        });
        const [test, train] = await Promise.all([
          fetchTexts('test'),
          'missing' in plan ? Promise.resolve(null) : fetchTexts('train'),
        ]);
        if (!test) throw new Error('The data worker no longer holds the loaded reviews; load the dataset again.');
        const validation: ValidationSource =
          'missing' in plan
            ? plan
            : train
              ? { train, ...plan }
              : { missing: 'No threshold chosen on a validation split: the training reviews are not loaded.' };
        if (!current()) return;
        const worker = new InferenceClient();
        client.current = worker;
        await worker.setBundle(bundle);
        const reported = model;
        const result = await worker.testReport({ test, validation }, (progress) => {
          if (current()) setState({ status: 'running', savedId, model: reported, progress });
        });
        if (current()) setState({ status: 'done', model: reported, result, client: worker });
      } catch (error) {
        if (!current() || error instanceof Cancelled) return;
        endWorker();
        setState({ status: 'error', model, message: message(error) });
      }
    },
    [readSaved, dataset, fetchTexts, endWorker],
  );

  /** A report asked for before the dataset was loaded: loads it, then runs. */
  const waiting = state.status === 'needs-data' ? state.model.savedId : null;
  const loadThenRun = useCallback(async () => {
    if (waiting === null) return;
    const loaded = await loadDataset();
    if (loaded) await run(waiting, loaded);
  }, [waiting, loadDataset, run]);

  const close = useCallback(() => {
    generation.current++;
    endWorker();
    setState({ status: 'idle' });
  }, [endWorker]);

  return { state, run, close, loadThenRun };
}
