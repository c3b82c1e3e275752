import { describe, expect, it } from 'vitest';
import { batchesBefore, describePlace, placeOf } from '../../src/training/checkpointPlace';

describe('where a checkpoint leaves a run', () => {
  const position = { batchesPerEpoch: 57, lossSum: 0, correctSum: 0, seen: 0, seconds: 0 };
  it('says it in words and counts the batches a resume does not train again', () => {
    const end = placeOf({ epoch: 2 });
    expect(describePlace(end)).toBe('after epoch 2');
    expect(batchesBefore(end, 57)).toBe(114);
    const stopped = placeOf({ epoch: 1, position: { ...position, batch: 23 } });
    expect(describePlace(stopped)).toBe('after batch 23 of 57 of epoch 2');
    expect(batchesBefore(stopped, 57)).toBe(80);
    expect(describePlace(placeOf({ epoch: 1, position: { ...position, batch: 57 } }))).toBe(
      "after epoch 2's last batch, before its validation",
    );
    expect(describePlace(placeOf({ epoch: 0, position: { ...position, batch: 0 } }))).toBe('at the start of epoch 1');
  });
});
