/**
 * JavaScript objects put integer-like keys ("10", "1984") first, in numeric order, whatever order
 * they were written in. Keras serialises `word_counts` and `word_docs` as ordered dicts whose order
 * decides frequency ties, so we write and read those maps ourselves to keep their order.
 */

/** Writes a flat map the way Python's `json.dumps` does by default (`", "` and `": "` separators). */
export function stringifyOrderedNumberMap(map: ReadonlyMap<string, number>): string {
  const parts: string[] = [];
  for (const [key, value] of map) parts.push(`${JSON.stringify(key)}: ${value}`);
  return `{${parts.join(', ')}}`;
}

const STRING_LITERAL = /"(?:[^"\\]|\\.)*"/g;

/** Reads a flat JSON object of string keys to numbers, keeping the keys in the order written. */
export function parseOrderedNumberMap(json: string, what: string): Map<string, number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new Error(`${what} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${what} must be a JSON object`);
  }
  const values = parsed as Record<string, unknown>;
  // Every string literal in an object whose values are all numbers is a key, so the literals,
  // read left to right, are the keys in their written order.
  const map = new Map<string, number>();
  for (const literal of json.match(STRING_LITERAL) ?? []) {
    const key = JSON.parse(literal) as string;
    const value = values[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new Error(`${what}: the value of ${literal} must be a number`);
    }
    map.set(key, value);
  }
  if (map.size !== Object.keys(values).length) {
    throw new Error(`${what} must map words to numbers only`);
  }
  return map;
}
