import { describe, expect, it } from 'vitest';
import { lastSentence, lastWords, withoutMarkup } from '../../src/text/shortVersions';

describe('short versions of a review', () => {
  it('turns IMDB line breaks into spaces', () => {
    expect(withoutMarkup('Good.<br /><br />Bad<br/>ugly')).toBe('Good.  Bad ugly');
  });

  it('takes the last sentence with a word in it, keeping its punctuation', () => {
    expect(lastSentence('I liked it. The end was weak! Still, 8/10.')).toBe('Still, 8/10.');
    expect(lastSentence('Great cast.<br /><br />Awful script?! ...')).toBe('Awful script?! ...');
    expect(lastSentence('No sentence end here')).toBe('No sentence end here');
    expect(lastSentence('Fine. :-)')).toBe('Fine. :-)');
  });

  it('takes the last n words', () => {
    const text = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ');
    expect(lastWords(text, 20).split(' ')).toEqual(Array.from({ length: 20 }, (_, i) => `w${i + 10}`));
    expect(lastWords('only three words', 20)).toBe('only three words');
    expect(lastWords('a<br />b', 1)).toBe('b');
  });
});
