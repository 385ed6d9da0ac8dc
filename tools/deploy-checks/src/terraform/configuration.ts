import { resolve } from 'node:path';
import { defaultSamples, computedAttributes, computedDataAttributes, type Samples } from './computed.js';
import { evaluateJson, evaluateSource, type Scope } from './expression.js';
import { loadModule, loadTfvars, type BlockConfig, type ModuleConfig } from './load.js';
import { asString, describe, isMap, LazyObject, TerraformEvalError, Unknown, type Value, type ValueMap } from './values.js';

type Raw = Record<string, unknown>;
const RESOURCE_META = new Set(['count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'provisioner', 'connection']);
const MODULE_META = new Set(['source', 'version', 'count', 'for_each', 'depends_on', 'providers']);

function memo<T>(fn: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= fn());
}

/** A resource or data source instance (one per count index / for_each key). */
export class ResourceInstance extends LazyObject {
  readonly body: () => Promise<ValueMap>;

  constructor(
    readonly module: ModuleInstance,
    readonly mode: 'resource' | 'data',
    readonly config: BlockConfig,
    readonly key: string | number | undefined,
    private readonly scope: Scope,
  ) {
    super();
    this.body = memo(() => evaluateBody(this.config.body, this.scope, RESOURCE_META));
  }

  get type(): string {
    return this.config.type;
  }

  get name(): string {
    return this.config.name;
  }

  /** Module path of the instance, e.g. ["lead_intake", "session_service"]. */
  get modulePath(): string[] {
    return this.module.path;
  }

  get address(): string {
    const prefix = this.module.path.map((name) => `module.${name}.`).join('');
    const base = `${prefix}${this.mode === 'data' ? 'data.' : ''}${this.type}.${this.name}`;
    return this.key === undefined ? base : `${base}[${JSON.stringify(this.key)}]`;
  }

  get label(): string {
    return this.address;
  }

  /** The raw (unevaluated) configuration, e.g. for lifecycle.ignore_changes. */
  get raw(): Raw {
    return this.config.body;
  }

  async get(attribute: string): Promise<Value> {
    const body = await this.body();
    if (attribute in body) return body[attribute] ?? null;
    const rules = (this.mode === 'data' ? computedDataAttributes : computedAttributes)[this.type];
    const rule = rules?.[attribute];
    if (rule) return rule((name) => this.get(name), this.module.root.samples);
    return new Unknown(`${this.address}.${attribute}`);
  }
}

/** One instance of a module (the root module or a module call). */
export class ModuleInstance extends LazyObject {
  readonly scope: Scope;
  private readonly locals = new Map<string, Promise<Value>>();
  private readonly variables = new Map<string, Promise<Value>>();
  private readonly resourceValues = new Map<string, Promise<Value>>();
  private readonly children = new Map<string, Promise<ModuleInstance>>();

  constructor(
    readonly config: ModuleConfig,
    readonly path: string[],
    private readonly inputs: Record<string, () => Promise<Value>>,
    readonly rootInstance: ModuleInstance | undefined,
    readonly samples: Samples,
  ) {
    super();
    this.scope = new ModuleScope(this, {});
  }

  get root(): ModuleInstance {
    return this.rootInstance ?? this;
  }

  get label(): string {
    return this.path.length === 0 ? 'the root module' : `module.${this.path.join('.module.')}`;
  }

  /** An output of this module (what `module.<name>.<output>` reads). */
  async get(output: string): Promise<Value> {
    const found = this.config.outputs[output];
    if (!found) throw new TerraformEvalError(`${this.label} has no output "${output}"`);
    return evaluateJson(found.value, this.scope);
  }

  variable(name: string): Promise<Value> {
    let value = this.variables.get(name);
    if (!value) {
      const declared = this.config.variables[name];
      if (!declared) throw new TerraformEvalError(`${this.label}: variable "${name}" is not declared (${this.config.dir})`);
      const input = this.inputs[name];
      value = input
        ? input().then((v) => convert(v, declared.type))
        : declared.hasDefault
          ? evaluateJson(declared.default, this.scope)
          : Promise.reject(new TerraformEvalError(`${this.label}: variable "${name}" has no value and no default`));
      this.variables.set(name, value);
    }
    return value;
  }

  local(name: string): Promise<Value> {
    let value = this.locals.get(name);
    if (!value) {
      if (!(name in this.config.locals)) throw new TerraformEvalError(`${this.label}: local "${name}" is not defined`);
      value = evaluateJson(this.config.locals[name], this.scope);
      this.locals.set(name, value);
    }
    return value;
  }

  child(name: string): Promise<ModuleInstance> {
    let found = this.children.get(name);
    if (!found) {
      const call = this.config.modules.find((module) => module.name === name);
      if (!call) throw new TerraformEvalError(`${this.label} has no module "${name}"`);
      if ('count' in call.body || 'for_each' in call.body)
        throw new TerraformEvalError(`module "${name}": count/for_each on modules is not supported`);
      if (!call.source.startsWith('.')) throw new TerraformEvalError(`module "${name}": only local sources are supported (${call.source})`);
      found = loadModule(resolve(this.config.dir, call.source)).then((config) => {
        const inputs: Record<string, () => Promise<Value>> = {};
        for (const [key, raw] of Object.entries(call.body)) {
          if (!MODULE_META.has(key)) inputs[key] = memo(() => evaluateJson(raw, this.scope));
        }
        for (const key of Object.keys(inputs)) {
          if (!config.variables[key]) throw new TerraformEvalError(`module "${name}" (${config.dir}) has no variable "${key}"`);
        }
        return new ModuleInstance(config, [...this.path, name], inputs, this.root, this.samples);
      });
      this.children.set(name, found);
    }
    return found;
  }

  /** `type.name` (resources) or `data.type.name`: one instance, a list (count) or a map (for_each). */
  resourceValue(mode: 'resource' | 'data', type: string, name: string): Promise<Value> {
    const key = `${mode}.${type}.${name}`;
    let value = this.resourceValues.get(key);
    if (!value) {
      const config = (mode === 'data' ? this.config.data : this.config.resources).find(
        (block) => block.type === type && block.name === name,
      );
      if (!config) throw new TerraformEvalError(`${this.label}: no ${mode} ${type}.${name}`);
      value = this.expand(mode, config);
      this.resourceValues.set(key, value);
    }
    return value;
  }

  private async expand(mode: 'resource' | 'data', config: BlockConfig): Promise<Value> {
    const address = `${this.label} ${config.type}.${config.name}`;
    if ('for_each' in config.body) {
      const forEach = await evaluateJson(config.body.for_each, this.scope);
      if (forEach instanceof Unknown) throw new TerraformEvalError(`${address}: for_each is ${forEach.toString()}`);
      const entries: Array<[string, Value]> = Array.isArray(forEach)
        ? forEach.map((item) => {
            const k = asString(item, `${address} for_each`);
            if (k instanceof Unknown) throw new TerraformEvalError(`${address}: for_each key ${k.toString()}`);
            return [k, item];
          })
        : isMap(forEach)
          ? Object.entries(forEach)
          : (() => {
              throw new TerraformEvalError(`${address}: for_each is ${describe(forEach)}`);
            })();
      const out: ValueMap = {};
      for (const [k, v] of entries) out[k] = new ResourceInstance(this, mode, config, k, this.scope.bind({ each: { key: k, value: v } }));
      return out;
    }
    if ('count' in config.body) {
      const count = await evaluateJson(config.body.count, this.scope);
      if (typeof count !== 'number') throw new TerraformEvalError(`${address}: count is ${describe(count)}`);
      return Array.from(
        { length: count },
        (_, index) => new ResourceInstance(this, mode, config, index, this.scope.bind({ count: { index } })),
      );
    }
    return new ResourceInstance(this, mode, config, undefined, this.scope);
  }

  /** Every resource instance of this module and its descendants. */
  async allResources(): Promise<ResourceInstance[]> {
    const found: ResourceInstance[] = [];
    for (const [mode, blocks] of [
      ['resource', this.config.resources],
      ['data', this.config.data],
    ] as const) {
      for (const block of blocks) found.push(...instancesOf(await this.resourceValue(mode, block.type, block.name)));
    }
    for (const call of this.config.modules) found.push(...(await (await this.child(call.name)).allResources()));
    return found;
  }

  /** This module and its descendants. */
  async allModules(): Promise<ModuleInstance[]> {
    const found: ModuleInstance[] = [this];
    for (const call of this.config.modules) found.push(...(await (await this.child(call.name)).allModules()));
    return found;
  }
}

function instancesOf(value: Value): ResourceInstance[] {
  if (value instanceof ResourceInstance) return [value];
  if (Array.isArray(value)) return value.filter((item): item is ResourceInstance => item instanceof ResourceInstance);
  if (isMap(value)) return Object.values(value).filter((item): item is ResourceInstance => item instanceof ResourceInstance);
  return [];
}

function convert(value: Value, type: string | undefined): Value {
  if (type === '${number}' && typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  if (type === '${bool}' && (value === 'true' || value === 'false')) return value === 'true';
  if (type === '${string}' && (typeof value === 'number' || typeof value === 'boolean')) return String(value);
  return value;
}

class ModuleScope implements Scope {
  constructor(
    private readonly module: ModuleInstance,
    private readonly bindings: Record<string, Value>,
  ) {}

  get rootDir(): string {
    return this.module.root.config.dir;
  }

  bind(bindings: Record<string, Value>): Scope {
    return new ModuleScope(this.module, { ...this.bindings, ...bindings });
  }

  async root(name: string, rest: string[]): Promise<{ value: Value; consumed: number }> {
    if (name in this.bindings) return { value: this.bindings[name] ?? null, consumed: 0 };
    const m = this.module;
    const need = (count: number): string[] => {
      if (rest.length < count) throw new TerraformEvalError(`incomplete reference ${[name, ...rest].join('.')}`);
      return rest.slice(0, count);
    };
    switch (name) {
      case 'var':
        return { value: await m.variable(need(1)[0] ?? ''), consumed: 1 };
      case 'local':
        return { value: await m.local(need(1)[0] ?? ''), consumed: 1 };
      case 'module':
        return { value: await m.child(need(1)[0] ?? ''), consumed: 1 };
      case 'data': {
        const [type = '', dataName = ''] = need(2);
        return { value: await m.resourceValue('data', type, dataName), consumed: 2 };
      }
      case 'path': {
        const [kind] = need(1);
        const dir = kind === 'module' ? m.config.dir : m.root.config.dir;
        return { value: dir, consumed: 1 };
      }
      case 'terraform':
        return { value: 'default', consumed: 1 };
      default:
        return { value: await m.resourceValue('resource', name, need(1)[0] ?? ''), consumed: 1 };
    }
  }
}

async function evaluateBody(raw: Raw, scope: Scope, skip: ReadonlySet<string>): Promise<ValueMap> {
  const out: ValueMap = {};
  for (const [key, value] of Object.entries(raw)) {
    if (skip.has(key) || key === 'dynamic') continue;
    out[key] = await evaluateNested(value, scope);
  }
  for (const [blockType, specs] of Object.entries((raw.dynamic ?? {}) as Raw)) {
    const expanded: Value[] = [];
    for (const spec of specs as Raw[]) expanded.push(...(await expandDynamic(blockType, spec, scope)));
    out[blockType] = [...((out[blockType] as Value[] | undefined) ?? []), ...expanded];
  }
  return out;
}

/** Nested blocks are lists of objects in hcl2json's output; they may hold `dynamic` blocks themselves. */
async function evaluateNested(value: unknown, scope: Scope): Promise<Value> {
  if (Array.isArray(value)) return Promise.all(value.map((item) => evaluateNested(item, scope)));
  if (value !== null && typeof value === 'object') return evaluateBody(value as Raw, scope, new Set());
  return evaluateJson(value, scope);
}

async function expandDynamic(blockType: string, spec: Raw, scope: Scope): Promise<Value[]> {
  const iterator = typeof spec.iterator === 'string' ? spec.iterator.replace(/^\$\{(.*)\}$/, '$1') : blockType;
  const forEach = await evaluateJson(spec.for_each, scope);
  if (forEach instanceof Unknown) throw new TerraformEvalError(`dynamic "${blockType}": for_each is ${forEach.toString()}`);
  const entries: Array<[string | number, Value]> = Array.isArray(forEach)
    ? forEach.map((item, index) => [index, item])
    : isMap(forEach)
      ? Object.entries(forEach)
      : [];
  const content = (Array.isArray(spec.content) ? spec.content[0] : spec.content) as Raw | undefined;
  if (!content) throw new TerraformEvalError(`dynamic "${blockType}" has no content`);
  const out: Value[] = [];
  for (const [key, value] of entries) out.push(await evaluateBody(content, scope.bind({ [iterator]: { key, value } }), new Set()));
  return out;
}

export interface LoadedConfiguration {
  root: ModuleInstance;
  resources: ResourceInstance[];
  /** Evaluates a root output. */
  output(name: string): Promise<Value>;
  /** Evaluates an expression (HCL syntax) in the root module. */
  evaluate(expression: string): Promise<Value>;
}

/**
 * Loads a root module (an environment) with its variable values (a .tfvars file) and evaluates it
 * as far as possible without Google: every resource instance, with predictable computed attributes.
 */
export async function loadConfiguration(options: {
  dir: string;
  tfvars?: string;
  variables?: Record<string, unknown>;
  samples?: Samples;
}): Promise<LoadedConfiguration> {
  const config = await loadModule(options.dir);
  const values = { ...(options.tfvars ? await loadTfvars(options.tfvars) : {}), ...options.variables };
  const inputs: Record<string, () => Promise<Value>> = {};
  const holder: { root?: ModuleInstance } = {};
  for (const [key, raw] of Object.entries(values)) {
    if (!config.variables[key])
      throw new TerraformEvalError(`${options.tfvars ?? 'variables'}: "${key}" is not a variable of ${options.dir}`);
    // tfvars hold literals; the root scope is only there for completeness.
    inputs[key] = memo(async () => evaluateJson(raw, (holder.root as ModuleInstance).scope));
  }
  const instance = new ModuleInstance(config, [], inputs, undefined, options.samples ?? defaultSamples);
  holder.root = instance;
  const resources = await instance.allResources();
  return {
    root: instance,
    resources,
    output: (name) => instance.get(name),
    evaluate: (expression) => evaluateSource(expression, instance.scope),
  };
}
