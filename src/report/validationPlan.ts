/**
 * Whether a saved model's validation split can be rebuilt from the loaded training reviews, so an
 * on-demand report chooses its threshold where the run chose it. The split is a seeded function of
 * the training reviews' labels in row order (training/validationSplit.ts), and the data worker
 * takes the same reviews in the same order for the same source and count; anything else would
 * hold out reviews the model trained on, and the threshold would flatter it.
 */
import type { BaselineMetadata } from '../baseline/bundle';
import type { BundleMetadata } from '../bundle/metadata';
import { NO_VALIDATION_SPLIT } from './runReport';

/** The loaded dataset, as far as the plan needs it. */
export interface LoadedTraining {
  sourceSha256: string;
  trainReviews: number;
}

export type ValidationPlan = { share: number; seed: number; reviews: number } | { missing: string };

const NO_THRESHOLD = 'No threshold chosen on a validation split:';

/** The split settings the model trained with, or why they are unknown. */
function splitOf(
  metadata: BundleMetadata | BaselineMetadata,
): { share: number; seed: number; reviews: number } | string {
  if (!metadata.training) return `${NO_THRESHOLD} the model's metadata does not say how it was trained.`;
  if (metadata.format === 'sentiment-lab-baseline') {
    const { validationShare, options, validationExamples } = metadata.training;
    if (validationShare === null)
      return `${NO_THRESHOLD} this baseline was saved before baselines recorded their validation share.`;
    return { share: validationShare, seed: options.seed, reviews: validationExamples };
  }
  const { settings, validationExamples } = metadata.training;
  const share = settings.validationShare;
  const seed = settings.seed;
  if (typeof share !== 'number' || typeof seed !== 'number')
    return `${NO_THRESHOLD} the model's settings do not name its validation share and seed.`;
  return { share, seed, reviews: validationExamples };
}

export function validationPlan(metadata: BundleMetadata | BaselineMetadata, loaded: LoadedTraining): ValidationPlan {
  const split = splitOf(metadata);
  if (typeof split === 'string') return { missing: split };
  if (split.share === 0 || split.reviews === 0) return { missing: NO_VALIDATION_SPLIT };
  const { dataset } = metadata;
  if (!dataset) return { missing: `${NO_THRESHOLD} the model's metadata does not say which reviews it trained on.` };
  if (dataset.sourceSha256 !== loaded.sourceSha256)
    return { missing: `${NO_THRESHOLD} the model was trained on another copy of the dataset (another source file).` };
  if (dataset.trainReviews !== loaded.trainReviews)
    return {
      missing:
        `${NO_THRESHOLD} the model trained on ${dataset.trainReviews} training reviews and ${loaded.trainReviews} are loaded, ` +
        `so its validation split cannot be rebuilt (load ${dataset.trainReviews} training reviews to get it).`,
    };
  return split;
}
