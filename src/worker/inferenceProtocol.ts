/**
 * Messages between the page and the inference worker, which holds the current model bundle:
 * it validates bundles (from training, files or IndexedDB), classifies text and packs downloads.
 * Every request carries an id and gets exactly one answer with the same id.
 */
import type { NamedBytes } from '../bundle/files';
import type { Architecture } from '../bundle/topology';
import type { ModelBundle } from '../bundle/types';
import type { Classification } from '../inference/reviewClassifier';

export type InferenceRequest =
  | { type: 'set-bundle'; requestId: number; bundle: ModelBundle }
  | { type: 'load-files'; requestId: number; files: NamedBytes[] }
  | { type: 'classify'; requestId: number; text: string }
  | { type: 'export'; requestId: number; as: 'zip' | 'files' };

export interface ModelReady {
  architecture: Architecture;
  /** Validation, tokenizer parsing and classifier set-up, in the worker. */
  milliseconds: number;
}

export type InferenceResponse =
  /** `bundle` is sent back for `load-files` (the page saves it); null for `set-bundle`. */
  | { type: 'model-ready'; requestId: number; ready: ModelReady; bundle: ModelBundle | null }
  | { type: 'classified'; requestId: number; result: Classification }
  | { type: 'exported'; requestId: number; files: NamedBytes[] }
  /** The request failed; the current model (if any) is unchanged. */
  | { type: 'failed'; requestId: number; message: string };
