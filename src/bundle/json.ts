/** Small readers for untrusted JSON: each names the field it rejects. */
import { BundleError } from './bundleError';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BundleError(`${file} is not valid JSON (${(error as Error).message}).`, { cause: error });
  }
}

export function objectField(parent: JsonObject, key: string, where: string): JsonObject {
  const value = parent[key];
  if (!isObject(value)) throw new BundleError(`${where}: "${key}" must be an object.`);
  return value;
}

export function integerField(parent: JsonObject, key: string, where: string, min: number): number {
  const value = parent[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new BundleError(
      `${where}: "${key}" must be a whole number of at least ${min}, got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

export function numberOrNull(parent: JsonObject, key: string, where: string): number | null {
  const value = parent[key];
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new BundleError(`${where}: "${key}" must be a number or null, got ${JSON.stringify(value)}.`);
  }
  return value;
}

export function stringField(parent: JsonObject, key: string, where: string): string {
  const value = parent[key];
  if (typeof value !== 'string') throw new BundleError(`${where}: "${key}" must be a string.`);
  return value;
}

export function oneOf<T extends string>(parent: JsonObject, key: string, where: string, allowed: readonly T[]): T {
  const value = parent[key];
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new BundleError(
      `${where}: "${key}" must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${JSON.stringify(value)}.`,
    );
  }
  return value as T;
}
