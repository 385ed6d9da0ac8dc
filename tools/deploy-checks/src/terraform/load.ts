import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from '@cdktn/hcl2json';
import { TerraformEvalError } from './values.js';

type Raw = Record<string, unknown>;

interface VariableConfig {
  type?: string;
  description?: string;
  hasDefault: boolean;
  default: unknown;
}

export interface BlockConfig {
  type: string;
  name: string;
  body: Raw;
}

interface ModuleCallConfig {
  name: string;
  source: string;
  body: Raw;
}

/** One Terraform module directory, parsed by HashiCorp's HCL parser (hcl2json) and merged over its .tf files. */
export interface ModuleConfig {
  dir: string;
  files: string[];
  variables: Record<string, VariableConfig>;
  locals: Record<string, unknown>;
  resources: BlockConfig[];
  data: BlockConfig[];
  modules: ModuleCallConfig[];
  outputs: Record<string, { value: unknown; description?: string }>;
  /** `terraform {}` blocks as parsed (backend, required_providers). */
  terraform: Raw[];
}

const cache = new Map<string, Promise<ModuleConfig>>();

export function loadModule(dir: string): Promise<ModuleConfig> {
  const key = resolve(dir);
  let found = cache.get(key);
  if (!found) {
    found = read(key);
    cache.set(key, found);
  }
  return found;
}

const first = (value: unknown): Raw => (Array.isArray(value) ? ((value[0] ?? {}) as Raw) : ((value ?? {}) as Raw));

async function read(dir: string): Promise<ModuleConfig> {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.tf'))
    .sort();
  if (files.length === 0) throw new TerraformEvalError(`no .tf files in ${dir}`);
  const config: ModuleConfig = { dir, files, variables: {}, locals: {}, resources: [], data: [], modules: [], outputs: {}, terraform: [] };
  for (const file of files) {
    const parsed = (await parse(file, readFileSync(join(dir, file), 'utf8'))) as Raw;
    for (const [name, blocks] of Object.entries((parsed.variable ?? {}) as Raw)) {
      const body = first(blocks);
      config.variables[name] = {
        type: typeof body.type === 'string' ? body.type : undefined,
        description: typeof body.description === 'string' ? body.description : undefined,
        hasDefault: 'default' in body,
        default: body.default,
      };
    }
    for (const block of (parsed.locals ?? []) as Raw[]) Object.assign(config.locals, block);
    for (const [kind, target] of [
      ['resource', config.resources],
      ['data', config.data],
    ] as const) {
      for (const [type, byName] of Object.entries((parsed[kind] ?? {}) as Raw)) {
        for (const [name, blocks] of Object.entries(byName as Raw)) target.push({ type, name, body: first(blocks) });
      }
    }
    for (const [name, blocks] of Object.entries((parsed.module ?? {}) as Raw)) {
      const body = first(blocks);
      if (typeof body.source !== 'string') throw new TerraformEvalError(`module "${name}" in ${dir} has no source`);
      config.modules.push({ name, source: body.source, body });
    }
    for (const [name, blocks] of Object.entries((parsed.output ?? {}) as Raw)) {
      const body = first(blocks);
      config.outputs[name] = { value: body.value, description: typeof body.description === 'string' ? body.description : undefined };
    }
    config.terraform.push(...((parsed.terraform ?? []) as Raw[]));
  }
  return config;
}

/** A .tfvars file: top-level attributes as JSON values. */
export async function loadTfvars(path: string): Promise<Record<string, unknown>> {
  return (await parse('terraform.tfvars', readFileSync(path, 'utf8'))) as Record<string, unknown>;
}
