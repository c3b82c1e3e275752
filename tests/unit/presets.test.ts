import { describe, expect, it } from 'vitest';
import { matchingPreset, PRESETS } from '../../src/training/presets';
import { DEFAULT_SETTINGS, validateSettings } from '../../src/training/settings';

describe('presets', () => {
  it("the Keras article's preset is the defaults, so the seed's run is one click away", () => {
    expect(matchingPreset(DEFAULT_SETTINGS)?.id).toBe('keras');
    const keras = PRESETS.find((p) => p.id === 'keras')!;
    for (const [key, value] of Object.entries(keras.settings))
      expect(DEFAULT_SETTINGS[key as keyof typeof DEFAULT_SETTINGS]).toBe(value);
  });

  it('every preset sets the same keys, with valid values, and is recognised once applied', () => {
    const keys = Object.keys(PRESETS[0]!.settings).sort();
    for (const preset of PRESETS) {
      expect(Object.keys(preset.settings).sort()).toEqual(keys);
      const applied = { ...DEFAULT_SETTINGS, ...preset.settings };
      expect(validateSettings(applied)).toEqual({});
      expect(matchingPreset(applied)?.id).toBe(preset.id);
    }
    expect(matchingPreset({ ...DEFAULT_SETTINGS, maxlen: 123 })).toBeNull();
  });
});
