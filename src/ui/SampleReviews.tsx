import type { SampleReview } from '../data/dataset';

const PREVIEW_CHARS = 360;

/** Leading padding collapsed to one item, so the words' ids stay visible. */
function PaddedIds({ ids }: { ids: readonly number[] }) {
  let padding = 0;
  while (padding < ids.length && ids[padding] === 0) padding++;
  const rest = ids.slice(padding);
  let trailing = 0;
  while (trailing < rest.length && rest[rest.length - 1 - trailing] === 0) trailing++;
  const body = rest.slice(0, rest.length - trailing);
  return (
    <code className="ids">
      {padding > 0 && <span className="pad">[0 × {padding}] </span>}
      {body.join(' ')}
      {trailing > 0 && <span className="pad"> [0 × {trailing}]</span>}
    </code>
  );
}

export function SampleReviews({ samples }: { samples: readonly SampleReview[] }) {
  return (
    <div className="samples">
      {samples.map((sample) => (
        <article key={`${sample.label}-${sample.id}`} className="sample" data-testid="sample-review">
          <header>
            <span className={sample.label === 1 ? 'tag positive' : 'tag negative'}>
              {sample.label === 1 ? 'positive' : 'negative'}
            </span>
            <span className="muted">
              rating {sample.rating}/10 · {sample.tokens} tokens → {sample.paddedIds.length} ids
            </span>
          </header>
          {/* Review text is rendered as a text node: React escapes it, so markup in a review never runs. */}
          <p className="review-text">
            {sample.text.length > PREVIEW_CHARS ? `${sample.text.slice(0, PREVIEW_CHARS)}…` : sample.text}
          </p>
          <PaddedIds ids={sample.paddedIds} />
        </article>
      ))}
    </div>
  );
}
