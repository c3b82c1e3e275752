import type { TrainingSettings } from '../training/settings';
import type { DatasetRequestOptions } from '../data/dataset';

/** Absolute, because the worker resolves relative URLs against its own script, not the page. */
export const DATA_BASE_URL = new URL(`${import.meta.env.BASE_URL}data/imdb`, document.baseURI).href;

export function datasetOptions(settings: TrainingSettings): DatasetRequestOptions {
  return {
    baseUrl: DATA_BASE_URL,
    trainReviews: settings.trainReviews,
    testReviews: settings.testReviews,
    numWords: settings.numWords,
    maxlen: settings.maxlen,
    padding: 'pre',
    truncating: 'pre',
    oovToken: null,
  };
}
