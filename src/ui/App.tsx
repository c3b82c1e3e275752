import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { AnyBundle } from '../baseline/bundle';
import type { CheckpointSummary } from '../storage/checkpointStore';
import { batchesBefore, describePlace, placeOf, type CheckpointPlace } from '../training/checkpointPlace';
import { validateSettings, type TrainingSettings } from '../training/settings';
import type { Checkpointing, TrainingData } from '../workers/train/api';
import { useBaseline } from './baseline/useBaseline';
import { ResumeBanner } from './training/ResumeBanner';
import { useCheckpoints } from './training/useCheckpoints';
import { ChartWarmUp } from './ChartWarmUp';
import { ClassifyPanel } from './classify/ClassifyPanel';
import { useClassify } from './classify/useClassify';
import { ModelsPanel } from './models/ModelsPanel';
import { useModelReport } from './models/useModelReport';
import { useModels } from './models/useModels';
import { DatasetPanel } from './DatasetPanel';
import { datasetOptions } from './datasetOptions';
import { TrainingPanel } from './training/TrainingPanel';
import { isRunning, useTraining, type LostRun, type OnContextLost } from './training/useTraining';
import { publishFaultInjection } from '../testHooks';
import { datasetKey, useDataset, type LoadedDataset } from './useDataset';
import { useUrlSettings } from './useUrlSettings';

/** How many times a run is restarted after losing its WebGL context before it gives up. */
const MAX_RECOVERIES = 3;

/** The padded matrices go to the training worker; the page keeps only the dataset's summary. */
function trainingData(dataset: LoadedDataset): TrainingData {
  const { train, test, summary } = dataset;
  return {
    key: dataset.key,
    sourceSha256: summary.sourceSha256,
    vocabularySize: summary.vocabularySize,
    tokenizerJson: dataset.tokenizerJson,
    options: dataset.options,
    train: { ids: train.ids, labels: train.labels, count: train.count, maxlen: train.maxlen },
    test: { ids: test.ids, labels: test.labels, count: test.count, maxlen: test.maxlen, reviewIds: test.reviewIds },
    testShortVersions: dataset.testShortVersions,
  };
}

export function App() {
  const [settings, updateSettings] = useUrlSettings();
  const errors = useMemo(() => validateSettings(settings), [settings]);
  const data = useDataset();
  const models = useModels();
  const classify = useClassify(models.client, models.state.current?.version ?? null);
  const { adoptTrained } = models;
  const onTrained = useCallback((bundle: AnyBundle) => void adoptTrained(bundle), [adoptTrained]);
  // Set below: recovery needs the run starter, which needs the training hook.
  const recoverRef = useRef<OnContextLost | null>(null);
  const onContextLost = useCallback((run: LostRun) => recoverRef.current?.(run), []);
  const training = useTraining(onTrained, onContextLost);
  useEffect(
    () =>
      publishFaultInjection({
        loseTrainingContext: training.loseContextForTest,
        fillTrainingStorage: training.fillStorageForTest,
      }),
    [training],
  );
  const baseline = useBaseline(onTrained);
  const starting = useRef(false);
  const running = isRunning(training.state.status);

  const { client: inference } = models;
  const modelName = models.state.current?.name ?? null;
  const { fetchReviews, searchReviews } = data;
  const reviewTools = useMemo(
    () => ({
      fetchReviews,
      searchReviews,
      classify: inference ? (text: string) => inference.classify(text) : null,
      modelName,
    }),
    [fetchReviews, searchReviews, inference, modelName],
  );

  const loadDataset = useCallback(() => void data.load(datasetOptions(settings)), [data, settings]);
  const loadDatasetNow = useCallback(() => data.load(datasetOptions(settings)), [data, settings]);
  const modelReport = useModelReport({
    readSaved: models.readSaved,
    dataset: data.dataset,
    fetchTexts: data.fetchTexts,
    loadDataset: loadDatasetNow,
  });

  const checkpoints = useCheckpoints(running);

  /** Starts a run: a fresh one under a new checkpoint key, or the checkpointed run `checkpointing.key`. */
  const startRun = useCallback(
    async (
      runSettings: TrainingSettings,
      checkpointing: Checkpointing,
      resumedFrom: CheckpointPlace | null,
      /** Set when the page restarts a run its worker lost (that run still counts as running). */
      recovery: string | null = null,
    ) => {
      if (starting.current || (running && !recovery) || Object.keys(validateSettings(runSettings)).length > 0) return;
      starting.current = true;
      const runId = training.begin(runSettings, resumedFrom, recovery);
      try {
        const options = datasetOptions(runSettings);
        let dataset = data.dataset;
        const wanted = dataset ? datasetKey(dataset.summary.sourceSha256, options) : null;
        // Matrices sent to a worker that is gone were transferred, so they are empty here: prepare them again.
        const transferredAway =
          dataset !== null && training.workerDataKey() !== dataset.key && dataset.train.ids.byteLength === 0;
        if (!dataset || dataset.key !== wanted || transferredAway) dataset = await data.load(options);
        if (!dataset) {
          training.fail(runId, 'The dataset could not be loaded; see the message in the dataset panel.');
          return;
        }
        const needsData = training.workerDataKey() !== dataset.key;
        void training.start(runId, runSettings, needsData ? trainingData(dataset) : null, checkpointing);
      } finally {
        starting.current = false;
      }
    },
    [data, running, training],
  );

  const train = useCallback(() => {
    if (Object.keys(errors).length > 0) return;
    void startRun({ ...settings }, { key: crypto.randomUUID(), resume: false }, null);
  }, [errors, settings, startRun]);

  const resume = useCallback(
    (run: CheckpointSummary) => {
      // The run's own settings (the URL shows them), on the engine that trained it.
      updateSettings(run.settings);
      void startRun({ ...run.settings, engine: run.engine }, { key: run.key, resume: true }, run.place);
    },
    [startRun, updateSettings],
  );

  /** Recoveries per run: a context lost again and again ends the run instead of looping. */
  const recoveries = useRef(new Map<string, number>());
  useEffect(() => {
    recoverRef.current = (run: LostRun) => {
      void (async () => {
        const { key } = run.checkpointing;
        const where = run.lostAt ? ` at epoch ${run.lostAt.epoch}, batch ${run.lostAt.batch}` : '';
        const count = (recoveries.current.get(key) ?? 0) + 1;
        recoveries.current.set(key, count);
        const backend = await training.replaceWorker().catch(() => null);
        if (!backend || count > MAX_RECOVERIES) {
          const runId = training.begin(run.settings);
          training.fail(
            runId,
            `${run.message.replace(/\.$/, '')}${where}` +
              (backend
                ? `, for the ${count}th time; the run stops. Its checkpoint is kept: resume it after reloading the page.`
                : '; no new training worker could start. Its checkpoint is kept: resume it after reloading the page.'),
          );
          checkpoints.refresh();
          return;
        }
        const stored = await checkpoints.read(key);
        const place = stored ? placeOf(stored.checkpoint) : null;
        const redone = run.lostAt
          ? run.lostAt.step - (place ? batchesBefore(place, run.lostAt.batchesPerEpoch) : 0)
          : 0;
        const note =
          `${run.message.replace(/\.$/, '')}${where}. The training worker was restarted on a new ${backend.name} context` +
          (stored
            ? ` and the run resumed from its checkpoint ${describePlace(place!)}: ${redone} batches are trained again.`
            : `; no epoch had been checkpointed yet, so the run started again: ${redone} batches are trained again.`);
        await startRun(
          stored ? { ...stored.settings, engine: stored.engine } : run.settings,
          { key, resume: stored !== undefined },
          place,
          note,
        );
      })();
    };
  }, [training, checkpoints, startRun]);

  /** The baseline: the same dataset as the LSTM's run (loaded if the settings need it), its texts to the worker. */
  const trainBaseline = useCallback(async () => {
    if (starting.current || Object.keys(errors).length > 0) return;
    starting.current = true;
    const runId = baseline.begin();
    try {
      const options = datasetOptions(settings);
      let dataset = data.dataset;
      const wanted = dataset ? datasetKey(dataset.summary.sourceSha256, options) : null;
      if (!dataset || dataset.key !== wanted) dataset = await data.load(options);
      if (!dataset) {
        baseline.fail(runId, 'The dataset could not be loaded; see the message in the dataset panel.');
        return;
      }
      const [train, test] = await Promise.all([data.fetchTexts('train'), data.fetchTexts('test')]);
      if (!train || !test) {
        baseline.fail(runId, 'The data worker no longer holds the loaded reviews; load the dataset again.');
        return;
      }
      const { summary } = dataset;
      void baseline.start(
        runId,
        {
          datasetKey: dataset.key,
          sourceSha256: summary.sourceSha256,
          tokenizerJson: dataset.tokenizerJson,
          options: dataset.options,
          train,
          test,
        },
        { validationShare: settings.validationShare, seed: settings.seed },
      );
    } finally {
      starting.current = false;
    }
  }, [baseline, data, errors, settings]);

  return (
    <main className="app">
      <header className="app-header">
        <h1>Sentiment Lab</h1>
        <p>
          Train an <code>Embedding → LSTM → Dense(sigmoid)</code> sentiment model on 50,000 IMDB reviews, in your
          browser, on your GPU.
        </p>
      </header>
      <ChartWarmUp />
      <DatasetPanel
        settings={settings}
        errors={errors}
        onChange={updateSettings}
        data={data}
        onLoad={loadDataset}
        busy={running}
      />
      <ResumeBanner
        unfinished={checkpoints.unfinished}
        busy={running}
        onResume={resume}
        onDiscard={checkpoints.discard}
      />
      <TrainingPanel
        settings={settings}
        errors={errors}
        onChange={updateSettings}
        state={training.state}
        onTrain={train}
        onStop={training.stop}
        reviewTools={reviewTools}
        baseline={{ state: baseline.state, onTrain: () => void trainBaseline(), onCancel: baseline.cancel }}
      />
      <ClassifyPanel classify={classify} current={models.state.current} busy={models.state.busy} />
      <ModelsPanel
        state={models.state}
        onDownload={(what) => void models.download(what)}
        onLoadFiles={(files) => void models.loadFiles(files)}
        onLoadSaved={(id) => void models.loadSaved(id)}
        onRename={(id, name) => void models.rename(id, name)}
        onDelete={(id) => void models.remove(id)}
        readSaved={models.readSaved}
        report={{
          state: modelReport.state,
          tools: reviewTools,
          datasetLoading: data.loading,
          onLoadDataset: () => void modelReport.loadThenRun(),
          onClose: modelReport.close,
          onRun: (id) => void modelReport.run(id),
        }}
      />
    </main>
  );
}
