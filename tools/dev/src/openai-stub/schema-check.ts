/**
 * Structured-output values checked against the request's JSON Schema with ajv (draft-07, what
 * the SDK's `zodTextFormat` emits), so the stand-in never answers a value the real API could not.
 */
import { Ajv, type ValidateFunction } from 'ajv';

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new Map<string, ValidateFunction>();

/** Where and why `value` breaks `schema`, one line each (empty when it conforms). */
export function schemaViolations(schema: object, value: unknown): string[] {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}`);
}
