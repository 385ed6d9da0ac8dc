/**
 * The JSON Schema subset Structured Outputs uses, three ways:
 * - `generateFromSchema`: a deterministic value that conforms to a schema (object/properties/
 *   required, string (+ enum, const, format, minLength/maxLength), number/integer (+ bounds,
 *   multipleOf), boolean, null, array (+ items, prefixItems, minItems/maxItems), anyOf/oneOf/allOf,
 *   type lists such as `["string", "null"]`, and `$ref` into `#/definitions` or `#/$defs`).
 *   `pattern` is not honoured.
 * - `schemaViolations`: checks a value against the same subset (what the tests and the lead-summary
 *   generator use to make sure a value fits before answering with it).
 * - `strictSchemaErrors`: the rules the real API enforces for `strict: true` (root object, every
 *   object closed with `additionalProperties: false` and listing every property in `required`).
 */

export type JsonSchema = boolean | JsonSchemaObject;
export type JsonSchemaObject = { readonly [keyword: string]: unknown };

const MAX_DEPTH = 24;

export class UnsatisfiableSchemaError extends Error {
  constructor(path: string, reason: string) {
    super(`Cannot generate a value at ${path || '(root)'}: ${reason}`);
    this.name = 'UnsatisfiableSchemaError';
  }
}

export function isSchemaObject(value: unknown): value is JsonSchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asSchema(value: unknown): JsonSchema | undefined {
  if (typeof value === 'boolean') return value;
  return isSchemaObject(value) ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Resolves a local `$ref` (`#`, `#/definitions/x`, `#/$defs/x`, any JSON pointer into the root). */
export function resolveRef(root: JsonSchema, ref: string): JsonSchema {
  if (!ref.startsWith('#')) throw new UnsatisfiableSchemaError(ref, 'only local $ref is supported');
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = isSchemaObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
  }
  const schema = asSchema(node);
  if (schema === undefined) throw new UnsatisfiableSchemaError(ref, `$ref '${ref}' does not resolve`);
  return schema;
}

/** The types a schema allows, from `type` (string or list); empty when it does not say. */
function declaredTypes(schema: JsonSchemaObject): string[] {
  const type = schema['type'];
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === 'string');
  return [];
}

function inferType(schema: JsonSchemaObject): string | undefined {
  const declared = declaredTypes(schema);
  const nonNull = declared.find((t) => t !== 'null');
  if (nonNull !== undefined) return nonNull;
  if (declared.includes('null')) return 'null';
  if ('properties' in schema || 'required' in schema || 'additionalProperties' in schema) return 'object';
  if ('items' in schema || 'prefixItems' in schema || 'minItems' in schema) return 'array';
  if ('minimum' in schema || 'maximum' in schema || 'multipleOf' in schema) return 'number';
  if ('minLength' in schema || 'maxLength' in schema || 'pattern' in schema || 'format' in schema) return 'string';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Generation

export interface GenerateOptions {
  /** Names the root value in generated strings (e.g. the `text.format.name`). */
  name?: string;
}

export function generateFromSchema(schema: JsonSchema, opts: GenerateOptions = {}): unknown {
  return gen(schema, schema, opts.name ?? 'value', '', 0);
}

function gen(schema: JsonSchema, root: JsonSchema, name: string, path: string, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new UnsatisfiableSchemaError(path, 'schema nests too deeply (recursive $ref?)');
  if (schema === true) return `example ${humanize(name)}`;
  if (schema === false) throw new UnsatisfiableSchemaError(path, 'schema is false');

  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    // Prefer null over following a recursive reference once deep enough.
    if (depth > 8 && allowsNull(schema, root)) return null;
    return gen(mergeSchemas(resolveRef(root, ref), without(schema, '$ref')), root, name, path, depth + 1);
  }
  if ('const' in schema) return schema['const'];
  const enumValues = schema['enum'];
  if (Array.isArray(enumValues)) {
    if (enumValues.length === 0) throw new UnsatisfiableSchemaError(path, 'empty enum');
    return enumValues.find((v) => v !== null) ?? enumValues[0];
  }

  const branches = schema['anyOf'] ?? schema['oneOf'];
  if (Array.isArray(branches)) {
    const options = branches.map(asSchema).filter((b): b is JsonSchema => b !== undefined);
    if (options.length === 0) throw new UnsatisfiableSchemaError(path, 'anyOf/oneOf has no schemas');
    const rest = without(schema, 'anyOf', 'oneOf');
    // The first branch that is not just null; deep in recursion, null when allowed.
    const preferred =
      depth > 8 && options.some(isNullSchema)
        ? options.find(isNullSchema)
        : (options.find((b) => !isNullSchema(b)) ?? options[0]);
    return gen(mergeSchemas(rest, preferred ?? true), root, name, path, depth + 1);
  }
  const allOf = schema['allOf'];
  if (Array.isArray(allOf)) {
    const merged = allOf.map(asSchema).reduce<JsonSchema>((acc, s) => mergeSchemas(acc, s ?? true), without(schema, 'allOf'));
    return gen(merged, root, name, path, depth + 1);
  }

  switch (inferType(schema)) {
    case 'object':
      return genObject(schema, root, path, depth);
    case 'array':
      return genArray(schema, root, name, path, depth);
    case 'integer':
      return genNumber(schema, true, path);
    case 'number':
      return genNumber(schema, false, path);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return genString(schema, name, path);
  }
}

function genObject(schema: JsonSchemaObject, root: JsonSchema, path: string, depth: number): Record<string, unknown> {
  const properties = isSchemaObject(schema['properties']) ? schema['properties'] : {};
  const required = Array.isArray(schema['required']) ? schema['required'].filter((r) => typeof r === 'string') : [];
  const out: Record<string, unknown> = {};
  for (const [key, sub] of Object.entries(properties)) {
    out[key] = gen(asSchema(sub) ?? true, root, key, `${path}.${key}`, depth + 1);
  }
  for (const key of required) {
    if (!(key in out)) {
      const extra = asSchema(schema['additionalProperties']);
      if (extra === false) throw new UnsatisfiableSchemaError(path, `'${key}' is required but not allowed`);
      out[key] = gen(extra ?? true, root, key, `${path}.${key}`, depth + 1);
    }
  }
  return out;
}

function genArray(schema: JsonSchemaObject, root: JsonSchema, name: string, path: string, depth: number): unknown[] {
  const min = num(schema['minItems']) ?? 0;
  const max = num(schema['maxItems']) ?? Infinity;
  if (min > max) throw new UnsatisfiableSchemaError(path, `minItems ${min} > maxItems ${max}`);
  const prefix = Array.isArray(schema['prefixItems']) ? schema['prefixItems'] : [];
  const items = asSchema(schema['items']) ?? true;
  // One item by default so the caller sees the shape, fewer when maxItems says so; deep in
  // recursion, as few as allowed.
  const count = Math.max(min, Math.min(depth > 8 ? 0 : Math.max(1, prefix.length), max));
  const itemName = singular(name);
  const out: unknown[] = [];
  for (let i = 0; i < count; i += 1) {
    const sub = i < prefix.length ? (asSchema(prefix[i]) ?? true) : items;
    if (sub === false) throw new UnsatisfiableSchemaError(`${path}[${i}]`, 'items is false');
    const value = gen(sub, root, count > 1 ? `${itemName} ${i + 1}` : itemName, `${path}[${i}]`, depth + 1);
    out.push(schema['uniqueItems'] === true && typeof value === 'number' ? value + i : value);
  }
  return out;
}

function genNumber(schema: JsonSchemaObject, integer: boolean, path: string): number {
  const exclusiveMin = num(schema['exclusiveMinimum']);
  const exclusiveMax = num(schema['exclusiveMaximum']);
  const step = integer ? 1 : 0.5;
  let lo = num(schema['minimum']) ?? -Infinity;
  let hi = num(schema['maximum']) ?? Infinity;
  if (exclusiveMin !== undefined) lo = Math.max(lo, exclusiveMin + step);
  if (exclusiveMax !== undefined) hi = Math.min(hi, exclusiveMax - step);
  if (integer) {
    lo = Math.ceil(lo);
    hi = Math.floor(hi);
  }
  if (lo > hi) throw new UnsatisfiableSchemaError(path, 'empty numeric range');
  let value = Math.min(Math.max(0, lo), hi);
  const multipleOf = num(schema['multipleOf']);
  if (multipleOf !== undefined && multipleOf > 0) {
    value = Math.ceil(value / multipleOf) * multipleOf;
    if (value > hi) throw new UnsatisfiableSchemaError(path, 'no multiple of multipleOf in range');
  }
  return value;
}

const FORMAT_EXAMPLES: Readonly<Record<string, string>> = {
  'date-time': '2026-01-15T16:05:00Z',
  date: '2026-01-15',
  time: '16:05:00',
  duration: 'PT30M',
  email: 'customer@example.com',
  hostname: 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  uuid: '00000000-0000-4000-8000-000000000000',
  uri: 'https://example.com/',
};

function genString(schema: JsonSchemaObject, name: string, path: string): string {
  const format = schema['format'];
  let text = (typeof format === 'string' ? FORMAT_EXAMPLES[format] : undefined) ?? `example ${humanize(name)}`;
  const min = num(schema['minLength']) ?? 0;
  const max = num(schema['maxLength']) ?? Infinity;
  if (min > max) throw new UnsatisfiableSchemaError(path, `minLength ${min} > maxLength ${max}`);
  if ([...text].length < min) text = text.padEnd(min, '.');
  if ([...text].length > max) text = [...text].slice(0, max).join('');
  return text;
}

function humanize(name: string): string {
  return name.replace(/[_-]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().trim() || 'value';
}

function singular(name: string): string {
  if (/ies$/.test(name)) return name.replace(/ies$/, 'y');
  if (/[^s]s$/.test(name)) return name.slice(0, -1);
  return name;
}

function without(schema: JsonSchemaObject, ...keys: string[]): JsonSchemaObject {
  const out: Record<string, unknown> = { ...schema };
  for (const key of keys) delete out[key];
  return out;
}

/** Shallow merge good enough for `allOf` and sibling keywords next to `anyOf`/`$ref`. */
function mergeSchemas(a: JsonSchema, b: JsonSchema): JsonSchema {
  if (a === false || b === false) return false;
  if (a === true) return b;
  if (b === true) return a;
  const merged: Record<string, unknown> = { ...a, ...b };
  if (isSchemaObject(a['properties']) && isSchemaObject(b['properties'])) {
    merged['properties'] = { ...a['properties'], ...b['properties'] };
  }
  if (Array.isArray(a['required']) && Array.isArray(b['required'])) {
    merged['required'] = [...new Set([...a['required'], ...b['required']])];
  }
  return merged;
}

function isNullSchema(schema: JsonSchema): boolean {
  if (typeof schema === 'boolean') return false;
  const types = declaredTypes(schema);
  return (types.length === 1 && types[0] === 'null') || ('const' in schema && schema['const'] === null);
}

function allowsNull(schema: JsonSchema, root: JsonSchema): boolean {
  return schemaViolations(schema, null, root).length === 0;
}

// ---------------------------------------------------------------------------------------------
// Validation

/** Human-readable violations of `schema` by `value` (empty when it conforms). */
export function schemaViolations(schema: JsonSchema, value: unknown, root: JsonSchema = schema): string[] {
  const out: string[] = [];
  check(schema, value, root, '', out, 0);
  return out;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(type: string, value: unknown): boolean {
  const actual = typeOf(value);
  return type === actual || (type === 'number' && actual === 'integer');
}

function check(schema: JsonSchema, value: unknown, root: JsonSchema, path: string, out: string[], depth: number): void {
  const at = path || '(root)';
  if (depth > 64) {
    out.push(`${at}: schema nests too deeply`);
    return;
  }
  if (schema === true) return;
  if (schema === false) {
    out.push(`${at}: no value is allowed here`);
    return;
  }
  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    try {
      check(resolveRef(root, ref), value, root, path, out, depth + 1);
    } catch (err) {
      out.push(`${at}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if ('const' in schema && JSON.stringify(schema['const']) !== JSON.stringify(value)) {
    out.push(`${at}: expected const ${JSON.stringify(schema['const'])}`);
  }
  const enumValues = schema['enum'];
  if (Array.isArray(enumValues) && !enumValues.some((v) => JSON.stringify(v) === JSON.stringify(value))) {
    out.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(enumValues)}`);
  }
  const types = declaredTypes(schema);
  if (types.length > 0 && !types.some((t) => matchesType(t, value))) {
    out.push(`${at}: expected ${types.join(' or ')}, got ${typeOf(value)}`);
    return;
  }
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const branches = schema[keyword];
    if (!Array.isArray(branches)) continue;
    const passing = branches.filter((b) => {
      const sub = asSchema(b);
      return sub !== undefined && schemaViolations(sub, value, root).length === 0;
    }).length;
    if (keyword === 'anyOf' ? passing === 0 : passing !== 1) {
      out.push(`${at}: matches ${passing} of the ${keyword} schemas`);
    }
  }
  const allOf = schema['allOf'];
  if (Array.isArray(allOf)) {
    for (const sub of allOf) check(asSchema(sub) ?? true, value, root, path, out, depth + 1);
  }

  if (typeof value === 'string') {
    const length = [...value].length;
    const min = num(schema['minLength']);
    const max = num(schema['maxLength']);
    if (min !== undefined && length < min) out.push(`${at}: shorter than ${min}`);
    if (max !== undefined && length > max) out.push(`${at}: longer than ${max}`);
    const pattern = schema['pattern'];
    if (typeof pattern === 'string' && !new RegExp(pattern, 'u').test(value)) out.push(`${at}: does not match ${pattern}`);
  } else if (typeof value === 'number') {
    const bounds: Array<[string, (n: number, b: number) => boolean]> = [
      ['minimum', (n, b) => n >= b],
      ['maximum', (n, b) => n <= b],
      ['exclusiveMinimum', (n, b) => n > b],
      ['exclusiveMaximum', (n, b) => n < b],
    ];
    for (const [keyword, ok] of bounds) {
      const bound = num(schema[keyword]);
      if (bound !== undefined && !ok(value, bound)) out.push(`${at}: violates ${keyword} ${bound}`);
    }
    const multipleOf = num(schema['multipleOf']);
    if (multipleOf !== undefined && Math.abs(value / multipleOf - Math.round(value / multipleOf)) > 1e-9) {
      out.push(`${at}: not a multiple of ${multipleOf}`);
    }
  } else if (Array.isArray(value)) {
    const min = num(schema['minItems']);
    const max = num(schema['maxItems']);
    if (min !== undefined && value.length < min) out.push(`${at}: fewer than ${min} items`);
    if (max !== undefined && value.length > max) out.push(`${at}: more than ${max} items`);
    const prefix = Array.isArray(schema['prefixItems']) ? schema['prefixItems'] : [];
    const items = asSchema(schema['items']);
    value.forEach((item, i) => {
      const sub = i < prefix.length ? asSchema(prefix[i]) : items;
      if (sub !== undefined) check(sub, item, root, `${path}[${i}]`, out, depth + 1);
    });
    if (schema['uniqueItems'] === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) {
      out.push(`${at}: items are not unique`);
    }
  } else if (isSchemaObject(value)) {
    const properties = isSchemaObject(schema['properties']) ? schema['properties'] : {};
    const required = Array.isArray(schema['required']) ? schema['required'] : [];
    for (const key of required) {
      if (typeof key === 'string' && !(key in value)) out.push(`${at}: missing required property '${key}'`);
    }
    const additional = asSchema(schema['additionalProperties']);
    for (const [key, item] of Object.entries(value)) {
      const sub = asSchema(properties[key]) ?? additional;
      if (sub !== undefined) check(sub, item, root, `${path}.${key}`, out, depth + 1);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Strict mode

/** Python-style tuple, as the real API prints schema contexts: `()`, `('properties', 'x')`. */
function context(path: readonly string[]): string {
  if (path.length === 0) return '()';
  if (path.length === 1) return `('${path[0]}',)`;
  return `(${path.map((p) => `'${p}'`).join(', ')})`;
}

/**
 * The first rule a `strict: true` schema breaks, worded like the real API (after
 * `Invalid schema for response_format '<name>': `), or null when it is fine.
 */
export function strictSchemaError(schema: unknown): string | null {
  if (!isSchemaObject(schema)) return "schema must be a JSON Schema of 'type: \"object\"', got 'type: \"unknown\"'.";
  const rootType = declaredTypes(schema)[0];
  if (rootType !== 'object') {
    return `schema must be a JSON Schema of 'type: "object"', got 'type: "${rootType ?? 'None'}"'.`;
  }
  return walkStrict(schema, []);
}

function walkStrict(schema: JsonSchemaObject, path: string[]): string | null {
  const isObject = declaredTypes(schema).includes('object') || isSchemaObject(schema['properties']);
  if (isObject) {
    if (schema['additionalProperties'] !== false) {
      return `In context=${context(path)}, 'additionalProperties' is required to be supplied and to be false.`;
    }
    const properties = isSchemaObject(schema['properties']) ? Object.keys(schema['properties']) : [];
    const required = Array.isArray(schema['required']) ? schema['required'] : [];
    const missing = properties.find((key) => !required.includes(key));
    if (missing !== undefined) {
      return `In context=${context(path)}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing}'.`;
    }
  }
  const children: Array<[string[], unknown]> = [];
  for (const keyword of ['properties', '$defs', 'definitions'] as const) {
    const group = schema[keyword];
    if (isSchemaObject(group)) for (const [key, sub] of Object.entries(group)) children.push([[keyword, key], sub]);
  }
  if (isSchemaObject(schema['items'])) children.push([['items'], schema['items']]);
  for (const keyword of ['anyOf', 'allOf', 'prefixItems'] as const) {
    const list = schema[keyword];
    if (Array.isArray(list)) list.forEach((sub, i) => children.push([[keyword, String(i)], sub]));
  }
  for (const [segment, sub] of children) {
    if (!isSchemaObject(sub)) continue;
    const found = walkStrict(sub, [...path, ...segment]);
    if (found !== null) return found;
  }
  return null;
}
