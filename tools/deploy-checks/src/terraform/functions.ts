import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import {
  asString,
  containsUnknown,
  describe,
  isMap,
  LazyObject,
  TerraformEvalError,
  Unknown,
  type Value,
  type ValueMap,
} from './values.js';

/** The Terraform built-in functions this repository's configuration uses (add more as needed). */
type Builtin = (args: Value[], context: { rootDir: string }) => Value;

const list = (value: Value, fn: string): Value[] => {
  if (Array.isArray(value)) return value;
  throw new TerraformEvalError(`${fn}(): expected a list, got ${describe(value)}`);
};
const map = (value: Value, fn: string): ValueMap => {
  if (isMap(value)) return value;
  throw new TerraformEvalError(`${fn}(): expected a map, got ${describe(value)}`);
};
const str = (value: Value, fn: string): string => {
  const result = asString(value, `${fn}()`);
  if (result instanceof Unknown) throw new TerraformEvalError(`${fn}(): unknown argument`);
  return result;
};
const same = (a: Value, b: Value): boolean => JSON.stringify(a) === JSON.stringify(b);
const unique = (values: Value[]): Value[] => values.filter((value, index) => values.findIndex((other) => same(other, value)) === index);

const builtins: Record<string, Builtin> = {
  join: ([separator, items]) =>
    list(items ?? null, 'join')
      .map((item) => str(item, 'join'))
      .join(str(separator ?? null, 'join')),
  concat: (args) => args.flatMap((arg) => list(arg, 'concat')),
  distinct: ([items]) => unique(list(items ?? null, 'distinct')),
  compact: ([items]) => list(items ?? null, 'compact').filter((item) => item !== null && item !== ''),
  flatten: ([items]) => {
    const flat = (values: Value[]): Value[] => values.flatMap((value) => (Array.isArray(value) ? flat(value) : [value]));
    return flat(list(items ?? null, 'flatten'));
  },
  toset: ([items]) => unique(list(items ?? null, 'toset')),
  tolist: ([items]) => list(items ?? null, 'tolist'),
  tomap: ([value]) => map(value ?? null, 'tomap'),
  tostring: ([value]) => (value === null || value === undefined ? null : str(value, 'tostring')),
  tonumber: ([value]) => {
    if (value === null || value === undefined) return null;
    const number = Number(str(value, 'tonumber'));
    if (Number.isNaN(number)) throw new TerraformEvalError(`tonumber(): ${describe(value)} is not a number`);
    return number;
  },
  lower: ([value]) => str(value ?? null, 'lower').toLowerCase(),
  upper: ([value]) => str(value ?? null, 'upper').toUpperCase(),
  length: ([value]) => {
    if (typeof value === 'string') return [...value].length;
    if (Array.isArray(value)) return value.length;
    return Object.keys(map(value ?? null, 'length')).length;
  },
  keys: ([value]) => Object.keys(map(value ?? null, 'keys')).sort(),
  values: ([value]) => {
    const m = map(value ?? null, 'values');
    return Object.keys(m)
      .sort()
      .map((key) => m[key] ?? null);
  },
  merge: (args) => Object.assign({}, ...args.filter((arg) => arg !== null).map((arg) => map(arg, 'merge'))) as ValueMap,
  lookup: ([value, key, fallback]) => {
    const m = map(value ?? null, 'lookup');
    const k = str(key ?? null, 'lookup');
    if (k in m) return m[k] ?? null;
    if (fallback === undefined) throw new TerraformEvalError(`lookup(): no key "${k}" and no default`);
    return fallback;
  },
  contains: ([items, value]) => list(items ?? null, 'contains').some((item) => same(item, value ?? null)),
  coalesce: (args) => {
    const found = args.find((arg) => arg !== null && arg !== '');
    if (found === undefined) throw new TerraformEvalError('coalesce(): every argument is null or empty');
    return found;
  },
  startswith: ([value, prefix]) => str(value ?? null, 'startswith').startsWith(str(prefix ?? null, 'startswith')),
  endswith: ([value, suffix]) => str(value ?? null, 'endswith').endsWith(str(suffix ?? null, 'endswith')),
  trimprefix: ([value, prefix]) => {
    const s = str(value ?? null, 'trimprefix');
    const p = str(prefix ?? null, 'trimprefix');
    return s.startsWith(p) ? s.slice(p.length) : s;
  },
  trimsuffix: ([value, suffix]) => {
    const s = str(value ?? null, 'trimsuffix');
    const p = str(suffix ?? null, 'trimsuffix');
    return p && s.endsWith(p) ? s.slice(0, -p.length) : s;
  },
  replace: ([value, search, replacement]) =>
    str(value ?? null, 'replace')
      .split(str(search ?? null, 'replace'))
      .join(str(replacement ?? null, 'replace')),
  split: ([separator, value]) => str(value ?? null, 'split').split(str(separator ?? null, 'split')),
  sort: ([items]) =>
    list(items ?? null, 'sort')
      .map((item) => str(item, 'sort'))
      .sort(),
  format: ([spec, ...args]) => {
    let index = 0;
    return str(spec ?? null, 'format').replace(/%%|%[sd]/g, (token) => (token === '%%' ? '%' : str(args[index++] ?? null, 'format')));
  },
  jsonencode: ([value]) => JSON.stringify(value ?? null),
  file: ([path], { rootDir }) => {
    const p = str(path ?? null, 'file');
    return readFileSync(isAbsolute(p) ? p : join(rootDir, p), 'utf8');
  },
};

export function callBuiltin(name: string, args: Value[], context: { rootDir: string }): Value {
  const fn = builtins[name];
  if (!fn)
    throw new TerraformEvalError(
      `function ${name}() is not supported by the deploy checks' evaluator (tools/deploy-checks/src/terraform/functions.ts)`,
    );
  if (args.some((arg) => containsUnknown(arg) || arg instanceof LazyObject)) {
    if (args.some((arg) => arg instanceof LazyObject)) throw new TerraformEvalError(`${name}(): cannot take a whole resource or module`);
    return new Unknown(`${name}() of an unknown value`);
  }
  return fn(args, context);
}
