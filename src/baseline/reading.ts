/**
 * How the baseline reads text: the app's Keras tokenizer's word sequence (lowercase, its filter
 * characters removed, split on its split string), before any numWords cut or maxlen truncation.
 * The LSTM's numWords cut would drop rare words and so join their neighbours into bigrams that
 * never occur in the text; the baseline keeps every word and prunes n-grams by count instead.
 */
import { Tokenizer } from '../text/tokenizer';

export interface TextReading {
  lower: boolean;
  filters: string;
  split: string;
}

/** The reading of a fitted tokenizer (its word index is not needed: the baseline has its own). */
export const readingOf = (tokenizer: Tokenizer): TextReading => ({
  lower: tokenizer.lower,
  filters: tokenizer.filters,
  split: tokenizer.split,
});

/** Keras's `text_to_word_sequence` with these settings (the tokenizer's own code). */
export function wordReader(reading: TextReading): (text: string) => string[] {
  const tokenizer = new Tokenizer(reading);
  return (text) => tokenizer.textToWords(text);
}

/**
 * A bigram's text: its two words joined by the split string, which no word can contain (words are
 * what lies between split strings), so every bigram has one text and no text is two bigrams.
 */
export const bigramText = (first: string, second: string, reading: TextReading): string =>
  `${first}${reading.split}${second}`;
