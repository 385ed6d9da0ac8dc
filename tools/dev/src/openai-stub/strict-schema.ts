/**
 * The rules the real API enforces for a `strict: true` schema (root object, every object closed
 * with `additionalProperties: false` and listing every property in `required`), worded like it.
 */

type JsonSchemaObject = { readonly [keyword: string]: unknown };

const isSchemaObject = (value: unknown): value is JsonSchemaObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The types a schema allows, from `type` (string or list); empty when it does not say. */
function declaredTypes(schema: JsonSchemaObject): string[] {
  const type = schema['type'];
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === 'string');
  return [];
}

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
  if (!isSchemaObject(schema)) return 'schema must be a JSON Schema of \'type: "object"\', got \'type: "unknown"\'.';
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
