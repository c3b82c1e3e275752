export type Split = 'train' | 'test';
export const SPLITS: readonly Split[] = ['train', 'test'];

/** 1 = positive (rating >= 7), 0 = negative (rating <= 4), as in aclImdb. */
export type Label = 0 | 1;

export interface Review {
  /** The number in the source file name `<id>_<rating>.txt`; unique within a split and label. */
  id: number;
  /** The reviewer's 1–10 star rating. */
  rating: number;
  label: Label;
  text: string;
}
