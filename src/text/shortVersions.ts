/**
 * Short versions of a review, as people type them into the Classify box, by fixed rules anyone can
 * recompute (the accuracy on them is reported beside the accuracy on whole reviews):
 * - markup: IMDB's `<br />` line breaks become spaces;
 * - the last sentence: the text after the last sentence end (`.`, `!` or `?`, repeated or not,
 *   followed by a space) that still has a letter or digit, else the whole text;
 * - the last n words: the last n runs of non-space characters.
 */

const MARKUP = /<br\s*\/?>/gi;
const SENTENCE_END = /[.!?]+\s+/g;
const HAS_WORD = /[\p{L}\p{N}]/u;

export function withoutMarkup(text: string): string {
  return text.replace(MARKUP, ' ');
}

export function lastSentence(text: string): string {
  const plain = withoutMarkup(text).trim();
  const sentences = plain.split(SENTENCE_END).map((s) => s.trim());
  for (let i = sentences.length - 1; i >= 0; i--) {
    if (HAS_WORD.test(sentences[i]!)) {
      // Keep the sentence's own ending punctuation, as it was typed.
      const at = plain.lastIndexOf(sentences[i]!);
      return plain.slice(at).trim();
    }
  }
  return plain;
}

export function lastWords(text: string, count = 20): string {
  const words = withoutMarkup(text).trim().split(/\s+/).filter(Boolean);
  return words.slice(-count).join(' ');
}
