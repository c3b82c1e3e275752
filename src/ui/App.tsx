import { useCallback, useMemo, useRef } from 'react';
import type { AnyBundle } from '../baseline/bundle';
import { validateSettings } from '../training/settings';
import type { TrainingData } from '../workers/train/api';
import { useBaseline } from './baseline/useBaseline';
import { ChartWarmUp } from './ChartWarmUp';
import { ClassifyPanel } from './classify/ClassifyPanel';
import { useClassify } from './classify/useClassify';
import { ModelsPanel } from './models/ModelsPanel';
import { useModels } from './models/useModels';
import { DatasetPanel } from './DatasetPanel';
import { datasetOptions } from './datasetOptions';
import { TrainingPanel } from './training/TrainingPanel';
import { isRunning, useTraining } from './training/useTraining';
import { datasetKey, useDataset, type LoadedDataset } from './useDataset';
import { useUrlSettings } from './useUrlSettings';

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
  const training = useTraining(onTrained);
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

  const train = useCallback(async () => {
    if (starting.current || running || Object.keys(errors).length > 0) return;
    starting.current = true;
    const runSettings = { ...settings };
    const runId = training.begin(runSettings);
    try {
      const options = datasetOptions(runSettings);
      let dataset = data.dataset;
      const wanted = dataset ? datasetKey(dataset.summary.sourceSha256, options) : null;
      if (!dataset || dataset.key !== wanted) dataset = await data.load(options);
      if (!dataset) {
        training.fail(runId, 'The dataset could not be loaded; see the message in the dataset panel.');
        return;
      }
      const needsData = training.workerDataKey() !== dataset.key;
      void training.start(runId, runSettings, needsData ? trainingData(dataset) : null);
    } finally {
      starting.current = false;
    }
  }, [data, errors, running, settings, training]);

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
      <TrainingPanel
        settings={settings}
        errors={errors}
        onChange={updateSettings}
        state={training.state}
        onTrain={() => void train()}
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
      />
    </main>
  );
}
