/**
 * Values of the small Terraform evaluator: JSON-like data, Unknown for what only exists after
 * `terraform apply` (a service's URI, a ruleset name), and lazy objects (resource instances,
 * module instances) whose attributes are evaluated on demand.
 */
export type Value = null | string | number | boolean | Value[] | ValueMap | Unknown | LazyObject;
export interface ValueMap {
  [key: string]: Value;
}

/** A value Terraform knows only after apply; `why` names where it came from. */
export class Unknown {
  constructor(readonly why: string) {}
  toString(): string {
    return `(known after apply: ${this.why})`;
  }
}

/** Something with attributes evaluated on demand (a resource or module instance). */
export abstract class LazyObject {
  abstract readonly label: string;
  abstract get(attribute: string): Promise<Value>;
}

export const isMap = (value: Value): value is ValueMap =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unknown) && !(value instanceof LazyObject);

export class TerraformEvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TerraformEvalError';
  }
}

/** A value as a string (numbers and booleans convert as Terraform converts them to string). */
export function asString(value: Value, what: string): string | Unknown {
  if (value instanceof Unknown) return value;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TerraformEvalError(`${what}: expected a string, got ${describe(value)}`);
}

export function describe(value: Value): string {
  if (value === null) return 'null';
  if (value instanceof Unknown) return value.toString();
  if (value instanceof LazyObject) return value.label;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}

/** Whether a value (deeply) contains something unknown. */
export function containsUnknown(value: Value): boolean {
  if (value instanceof Unknown) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (isMap(value)) return Object.values(value).some(containsUnknown);
  return false;
}
