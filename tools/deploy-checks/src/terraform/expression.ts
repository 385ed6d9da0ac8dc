import { getExpressionAst } from '@cdktn/hcl2json';
import { callBuiltin } from './functions.js';
import { asString, describe, isMap, LazyObject, TerraformEvalError, Unknown, type Value, type ValueMap } from './values.js';

/** The subset of hcl2json's expression AST the evaluator reads. */
interface Ast {
  type: string;
  children: Ast[];
  meta?: {
    value?: string;
    type?: string;
    name?: string;
    operator?: string;
    expandedFinalArgument?: boolean;
    traversal?: Array<{ type: string; segment: string }>;
    items?: Record<string, string>;
    keyVar?: string;
    valVar?: string;
    collectionExpression?: string;
    keyExpression?: string;
    valueExpression?: string;
    conditionalExpression?: string;
    openRangeValue?: string;
    groupedValue?: boolean;
  };
}

/** Where names resolve: `var`, `local`, `module`, resources…, plus local bindings (for, each, dynamic). */
export interface Scope {
  /** The first traversal segment (`var`, `local`, `each`, a resource type, a for variable…). */
  root(name: string, rest: string[]): Promise<{ value: Value; consumed: number }>;
  bind(bindings: Record<string, Value>): Scope;
  readonly rootDir: string;
}

const astCache = new Map<string, Promise<Ast>>();
function parse(source: string): Promise<Ast> {
  let ast = astCache.get(source);
  if (!ast) {
    ast = getExpressionAst('expression.tf', source).then((result) => {
      if (!result) throw new TerraformEvalError(`cannot parse expression ${source}`);
      return result as unknown as Ast;
    });
    astCache.set(source, ast);
  }
  return ast;
}

/** Evaluates a value as hcl2json gives it: strings holding `${…}` are templates, the rest literal. */
export async function evaluateJson(raw: unknown, scope: Scope): Promise<Value> {
  if (typeof raw === 'string') return raw.includes('${') ? evaluateSource(`"${raw}"`, scope) : raw;
  if (Array.isArray(raw)) return Promise.all(raw.map((item) => evaluateJson(item, scope)));
  if (raw !== null && typeof raw === 'object') {
    const out: ValueMap = {};
    for (const [key, value] of Object.entries(raw)) out[key] = await evaluateJson(value, scope);
    return out;
  }
  if (raw === undefined) return null;
  return raw as Value;
}

export async function evaluateSource(source: string, scope: Scope): Promise<Value> {
  return evaluate(await parse(source), scope, source);
}

async function evaluate(node: Ast, scope: Scope, source: string): Promise<Value> {
  const meta = node.meta ?? {};
  const child = (index: number): Ast => {
    const found = node.children[index];
    if (!found) throw new TerraformEvalError(`malformed ${node.type} expression in ${source}`);
    return found;
  };
  switch (node.type) {
    case 'templateWrap':
      return evaluate(child(0), scope, source);
    case 'template': {
      let text = '';
      for (const part of node.children) {
        const value = await evaluate(part, scope, source);
        const piece = asString(value, `template ${meta.value ?? source}`);
        if (piece instanceof Unknown) return piece;
        text += piece;
      }
      return text;
    }
    case 'literalValue':
      if (meta.type === 'number') return Number(meta.value);
      if (meta.type === 'bool') return meta.value === 'true';
      if (meta.type === 'string') return meta.value ?? '';
      return null;
    case 'tuple':
      return Promise.all(node.children.map((item) => evaluate(item, scope, source)));
    case 'object': {
      const out: ValueMap = {};
      for (const [keySource, valueSource] of Object.entries(meta.items ?? {})) {
        const key = await objectKey(keySource, scope);
        if (key instanceof Unknown) return key;
        out[key] = await evaluateSource(valueSource, scope);
      }
      return out;
    }
    case 'scopeTraversal': {
      const parts = (meta.traversal ?? []).map(segment);
      const [first, ...rest] = parts;
      if (typeof first !== 'string') throw new TerraformEvalError(`bad reference ${meta.value ?? source}`);
      const { value, consumed } = await scope.root(first, rest.map(String));
      return traverse(value, rest.slice(consumed), meta.value ?? source);
    }
    case 'relativeTraversal':
      return traverse(await evaluate(child(0), scope, source), (meta.traversal ?? []).map(segment), meta.value ?? source);
    case 'index': {
      const collection = await evaluate(child(0), scope, source);
      const key = await evaluate(child(1), scope, source);
      if (key instanceof Unknown) return key;
      return traverse(collection, [typeof key === 'number' ? key : String(key)], meta.value ?? source);
    }
    case 'splat': {
      const collection = await evaluate(child(0), scope, source);
      if (collection instanceof Unknown) return collection;
      const each = child(1);
      const items = Array.isArray(collection) ? collection : collection === null ? [] : [collection];
      const steps = (each.meta?.traversal ?? []).map(segment);
      return Promise.all(items.map((item) => traverse(item, steps, meta.value ?? source)));
    }
    case 'function': {
      if (meta.expandedFinalArgument) throw new TerraformEvalError(`argument expansion (...) is not supported: ${meta.value ?? source}`);
      const args = await Promise.all(node.children.map((arg) => evaluate(arg, scope, source)));
      return callBuiltin(meta.name ?? '', args, { rootDir: scope.rootDir });
    }
    case 'conditional': {
      const condition = await evaluate(child(0), scope, source);
      if (condition instanceof Unknown) return condition;
      if (typeof condition !== 'boolean') throw new TerraformEvalError(`condition is ${describe(condition)}: ${meta.value ?? source}`);
      return evaluate(child(condition ? 1 : 2), scope, source);
    }
    case 'binaryOp':
      return binary(
        meta.operator ?? '',
        await evaluate(child(0), scope, source),
        await evaluate(child(1), scope, source),
        meta.value ?? source,
      );
    case 'unaryOp': {
      const value = await evaluate(child(0), scope, source);
      if (value instanceof Unknown) return value;
      if (meta.operator === 'logicalNot') return !value;
      if (meta.operator === 'negate') return -Number(value);
      throw new TerraformEvalError(`operator ${meta.operator ?? '?'} is not supported`);
    }
    case 'for':
      return forExpression(meta, scope);
    default:
      throw new TerraformEvalError(`expression type "${node.type}" is not supported: ${meta.value ?? source}`);
  }
}

function segment(part: { type: string; segment: string }): string | number {
  if (part.type === 'nameTraversal') return part.segment;
  const s = part.segment.trim();
  if (s.startsWith('"')) return JSON.parse(s) as string;
  const n = Number(s);
  return Number.isInteger(n) ? n : s;
}

async function objectKey(source: string, scope: Scope): Promise<string | Unknown> {
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(source)) return source;
  const inner = source.startsWith('(') && source.endsWith(')') ? source.slice(1, -1) : source;
  return asString(await evaluateSource(inner, scope), `object key ${source}`);
}

/** Attribute and index steps into a value. */
async function traverse(start: Value, steps: Array<string | number>, what: string): Promise<Value> {
  let value = start;
  for (const step of steps) {
    if (value instanceof Unknown) return value;
    if (value instanceof LazyObject) {
      value = await value.get(String(step));
    } else if (Array.isArray(value)) {
      const index = typeof step === 'number' ? step : Number(step);
      if (!Number.isInteger(index) || index < 0 || index >= value.length)
        throw new TerraformEvalError(`${what}: index ${step} out of range`);
      value = value[index] ?? null;
    } else if (isMap(value)) {
      if (!(String(step) in value))
        throw new TerraformEvalError(`${what}: no key "${step}" (has ${Object.keys(value).join(', ') || 'none'})`);
      value = value[String(step)] ?? null;
    } else {
      throw new TerraformEvalError(`${what}: cannot take "${step}" of ${describe(value)}`);
    }
  }
  return value;
}

function binary(operator: string, left: Value, right: Value, what: string): Value {
  if (operator === 'logicalAnd') return left instanceof Unknown ? left : left === false ? false : right;
  if (operator === 'logicalOr') return left instanceof Unknown ? left : left === true ? true : right;
  if (left instanceof Unknown) return left;
  if (right instanceof Unknown) return right;
  switch (operator) {
    case 'equal':
      return JSON.stringify(left) === JSON.stringify(right);
    case 'notEqual':
      return JSON.stringify(left) !== JSON.stringify(right);
    case 'add':
      return Number(left) + Number(right);
    case 'subtract':
      return Number(left) - Number(right);
    case 'multiply':
      return Number(left) * Number(right);
    case 'divide':
      return Number(left) / Number(right);
    case 'modulo':
      return Number(left) % Number(right);
    case 'lessThan':
      return Number(left) < Number(right);
    case 'greaterThan':
      return Number(left) > Number(right);
    case 'lessThanOrEqual':
      return Number(left) <= Number(right);
    case 'greaterThanOrEqual':
      return Number(left) >= Number(right);
    default:
      throw new TerraformEvalError(`operator ${operator} is not supported: ${what}`);
  }
}

async function forExpression(meta: NonNullable<Ast['meta']>, scope: Scope): Promise<Value> {
  const collection = await evaluateSource(meta.collectionExpression ?? 'null', scope);
  if (collection instanceof Unknown) return collection;
  const entries: Array<[string | number, Value]> = Array.isArray(collection)
    ? collection.map((item, index) => [index, item])
    : isMap(collection)
      ? Object.keys(collection)
          .sort()
          .map((key) => [key, collection[key] ?? null])
      : (() => {
          throw new TerraformEvalError(`for expression over ${describe(collection)}`);
        })();
  const asObject = meta.openRangeValue === '{';
  const list: Value[] = [];
  const object: ValueMap = {};
  for (const [key, value] of entries) {
    const bindings: Record<string, Value> = { [meta.valVar ?? '']: value };
    if (meta.keyVar) bindings[meta.keyVar] = key;
    const inner = scope.bind(bindings);
    if (meta.conditionalExpression) {
      const keep = await evaluateSource(meta.conditionalExpression, inner);
      if (keep instanceof Unknown) return keep;
      if (!keep) continue;
    }
    const result = await evaluateSource(meta.valueExpression ?? 'null', inner);
    if (!asObject) {
      list.push(result);
      continue;
    }
    const k = asString(await evaluateSource(meta.keyExpression ?? 'null', inner), 'for expression key');
    if (k instanceof Unknown) return k;
    if (meta.groupedValue) object[k] = [...((object[k] as Value[] | undefined) ?? []), result];
    else if (k in object) throw new TerraformEvalError(`for expression: duplicate key "${k}"`);
    else object[k] = result;
  }
  return asObject ? object : list;
}
