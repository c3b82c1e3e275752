/** Example reviews, written for this app: clear ones and ones that trip a bag-of-words reading. */
export interface ExampleReview {
  label: string;
  text: string;
}

export const EXAMPLES: readonly ExampleReview[] = [
  {
    label: 'Clearly positive',
    text: 'One of the best films I have seen in years. The acting is superb, the script is sharp and funny, and the ending moved me to tears. A wonderful, beautiful movie.',
  },
  {
    label: 'Clearly negative',
    text: 'A complete waste of time. The plot makes no sense, the dialogue is painful and the acting is wooden. I wanted to walk out after twenty minutes.',
  },
  {
    label: 'Negation',
    text: 'This is not a bad movie at all. I did not expect to enjoy it, and I was never bored for a minute.',
  },
  {
    label: 'Sarcasm',
    text: 'Oh great, another two hours of my life I will never get back. Truly a masterpiece of boredom. Brilliant work, everyone.',
  },
  {
    label: 'Mixed',
    text: 'The visuals are stunning and the score is beautiful, but the story is thin and the characters are forgettable. Worth seeing once, maybe.',
  },
  {
    label: 'Markup, emoji, other scripts',
    text: 'Loved it 😍🍿 <b>great</b> cast <script>alert("not run")</script> — 素晴らしい映画！ Фильм отличный.',
  },
];
