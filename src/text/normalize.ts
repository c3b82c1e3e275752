/**
 * Review text as stored in the shards: faithful to the source, minus the HTML line breaks that
 * aclImdb keeps in its files. Case and punctuation stay; the tokenizer decides what to drop.
 */
const HTML_LINE_BREAK = /<br\s*\/?>/gi;
const WHITESPACE_RUN = /\s+/g;

export function normalizeReview(raw: string): string {
  return raw.replace(HTML_LINE_BREAK, ' ').replace(WHITESPACE_RUN, ' ').trim();
}
