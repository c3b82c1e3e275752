import type { ReadToken } from '../../inference/readReview';
import { effectColor, type WordShare } from './WordByWord';

/** One word as the model read it: its status (read, out of vocabulary, cut), and its effect's colour when known. */
export function Token({ token, share, largest }: { token: ReadToken; share: WordShare | undefined; largest: number }) {
  const reading =
    token.status === 'truncated'
      ? `id ${token.id}: cut off by truncation`
      : token.oov
        ? token.id === null
          ? 'out of vocabulary: dropped'
          : `out of vocabulary: read as the OOV token (id ${token.id})`
        : `id ${token.id}`;
  const title = share ? `${token.word}: ${share.description} (${reading})` : reading;
  return (
    <span
      className={`token ${token.status}`}
      title={title}
      aria-label={share ? title : undefined}
      data-effect={share ? share.effect.toFixed(4) : undefined}
      style={share ? { background: effectColor(share.effect, largest) } : undefined}
    >
      {token.word}
    </span>
  );
}
