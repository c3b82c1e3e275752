import { describe, expect, it } from 'vitest';
import { backendFromSearch } from '../../src/model/backend';
import {
  choiceField,
  flagField,
  numberField,
  readSearch,
  strictChoiceField,
  writeSearch,
  type Codecs,
} from '../../src/url/searchCodec';
import { caseFromSearch, caseToSearch, type TrainingBenchCase } from '../../tools/src/benchProtocol';

interface Example {
  size: number;
  on: boolean;
  mode: 'a' | 'b';
  kind: 'x' | 'y';
}
const codecs: Codecs<Example> = {
  size: numberField,
  on: flagField,
  mode: choiceField<'a' | 'b'>(),
  kind: strictChoiceField(['x', 'y'] as const, 'x'),
};
const defaults: Example = { size: 10, on: true, mode: 'a', kind: 'x' };

describe('the URL search codec', () => {
  it('reads each field its own way and keeps the defaults of absent ones', () => {
    expect(readSearch('?size=3&on=0', codecs, defaults)).toEqual({ size: 3, on: false, mode: 'a', kind: 'x' });
    expect(readSearch('', codecs, defaults)).toEqual(defaults);
  });

  it('keeps an unknown choice for validation to name, or falls back where a field says so', () => {
    const read = readSearch('?mode=zzz&kind=zzz&size=', codecs, defaults);
    expect(read.mode).toBe('zzz');
    expect(read.kind).toBe('x');
    expect(read.size).toBeNaN();
  });

  it('writes only what differs from the defaults and keeps other parameters', () => {
    const text = writeSearch({ ...defaults, size: 4 }, codecs, defaults, '?size=9&other=1');
    expect(new URLSearchParams(text).get('size')).toBe('4');
    expect(new URLSearchParams(text).get('other')).toBe('1');
    expect(new URLSearchParams(text).has('on')).toBe(false);
    expect(readSearch(text, codecs, defaults)).toEqual({ ...defaults, size: 4 });
  });

  it('reads the page backend, ignoring unknown ones', () => {
    expect(backendFromSearch('?backend=wasm&epochs=2')).toBe('wasm');
    expect(backendFromSearch('?backend=tpu')).toBeNull();
    expect(backendFromSearch('')).toBeNull();
  });

  it('round-trips a benchmark case', () => {
    const c: TrainingBenchCase = {
      backend: 'wasm',
      maxlen: 100,
      batchSize: 64,
      batches: 5,
      embeddingGradientFix: false,
      orthogonalOnCpu: true,
      recurrentActivation: 'hardSigmoid',
      engine: 'fused',
      profile: true,
      ids: 'uniform',
    };
    expect(caseFromSearch(`?${caseToSearch(c)}`)).toEqual(c);
  });
});
