/**
 * One codec for every object the app and its tools keep in a URL's query string (the run settings,
 * the requested backend, the benchmark cases): each field names how it reads and writes itself.
 */

export interface FieldCodec<T> {
  parse(raw: string): T;
  format(value: T): string;
}

/** A number; an empty or unreadable value reads as NaN, so validation can name it. */
export const numberField: FieldCodec<number> = {
  parse: (raw) => (raw.trim() === '' ? Number.NaN : Number(raw)),
  format: (value) => String(value),
};

/** On unless written as 0. */
export const flagField: FieldCodec<boolean> = {
  parse: (raw) => raw !== '0',
  format: (value) => (value ? '1' : '0'),
};

/** One of `values`; anything else is kept as written, so validation can name it. */
export function choiceField<V extends string>(): FieldCodec<V> {
  return { parse: (raw) => raw as V, format: (value) => value };
}

/** One of `values`; anything else reads as `fallback` (for options that are never validated). */
export function strictChoiceField<V extends string, F>(values: readonly V[], fallback: F): FieldCodec<V | F> {
  return {
    parse: (raw) => ((values as readonly string[]).includes(raw) ? (raw as V) : fallback),
    format: (value) => String(value),
  };
}

export type Codecs<T> = { [K in keyof T]: FieldCodec<T[K]> };

/** Reads the fields `codecs` names from `search`; absent ones keep `defaults`. */
export function readSearch<T extends object>(search: string, codecs: Codecs<T>, defaults: T): T {
  const params = new URLSearchParams(search);
  const value = { ...defaults };
  for (const key of Object.keys(codecs) as Array<keyof T & string>) {
    const raw = params.get(key);
    if (raw !== null) value[key] = codecs[key].parse(raw);
  }
  return value;
}

/**
 * Writes the fields into `search` (other parameters are kept). With `defaults`, fields equal to
 * their default are left out, so a shared link names only what differs.
 */
export function writeSearch<T extends object>(value: T, codecs: Codecs<T>, defaults?: T, search = ''): string {
  const params = new URLSearchParams(search);
  for (const key of Object.keys(codecs) as Array<keyof T & string>) {
    if (defaults && Object.is(value[key], defaults[key])) params.delete(key);
    else params.set(key, codecs[key].format(value[key]));
  }
  return params.toString();
}
