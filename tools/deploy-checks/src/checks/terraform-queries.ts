/** Lookups over an evaluated environment that several checks share. */
import type { ResourceInstance } from '../terraform/configuration.js';
import { isMap, Unknown, type Value, type ValueMap } from '../terraform/values.js';
import type { Environment } from './deployment.js';

export const byType = (env: Environment, type: string): ResourceInstance[] => env.tf.resources.filter((r) => r.type === type);

/** The Cloud Run service defined by a module call (e.g. session_service), wherever it is nested. */
export function cloudRunService(env: Environment, moduleName: string): ResourceInstance | undefined {
  return byType(env, 'google_cloud_run_v2_service').find((r) => r.modulePath[r.modulePath.length - 1] === moduleName);
}

/** The first block of a nested block list (hcl2json gives blocks as lists). */
export function block(value: Value | undefined): ValueMap {
  if (Array.isArray(value)) {
    const first = value[0];
    return isMap(first ?? null) ? (first as ValueMap) : {};
  }
  return isMap(value ?? null) ? (value as ValueMap) : {};
}

export const blocks = (value: Value | undefined): ValueMap[] => (Array.isArray(value) ? value.filter((v): v is ValueMap => isMap(v)) : []);

export const text = (value: Value | undefined): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;

export interface ServiceDefinition {
  resource: ResourceInstance;
  name: string;
  region: string;
  serviceAccount: string | undefined;
  /** Plain variables (value known at plan time, or Unknown). */
  env: Record<string, string | Unknown>;
  /** Variables Cloud Run fills from Secret Manager: secret (id or resource name) and version. */
  secretEnv: Record<string, { secret: string; version: string }>;
  container: ValueMap;
  template: ValueMap;
}

export async function serviceDefinition(resource: ResourceInstance): Promise<ServiceDefinition> {
  const body = await resource.body();
  const template = block(body.template);
  const container = block(template.containers);
  const env: Record<string, string | Unknown> = {};
  const secretEnv: Record<string, { secret: string; version: string }> = {};
  for (const entry of blocks(container.env)) {
    const name = text(entry.name) ?? '';
    const ref = block(block(entry.value_source).secret_key_ref);
    if (Object.keys(ref).length > 0) secretEnv[name] = { secret: text(ref.secret) ?? '', version: text(ref.version) ?? '' };
    else env[name] = entry.value instanceof Unknown ? entry.value : (text(entry.value) ?? '');
  }
  return {
    resource,
    name: text(body.name) ?? '',
    region: text(body.location) ?? '',
    serviceAccount: text(template.service_account),
    env,
    secretEnv,
    container,
    template,
  };
}

/** IAM member resources (any *_iam_member type) granting `role` to `member`. */
export async function grants(env: Environment, type: string, role: string, member: string): Promise<ResourceInstance[]> {
  const found: ResourceInstance[] = [];
  for (const r of byType(env, type)) {
    const body = await r.body();
    if (body.role === role && body.member === member) found.push(r);
  }
  return found;
}

export const seconds = (value: Value | undefined): number | undefined => {
  const s = text(value);
  const match = s ? /^(\d+(?:\.\d+)?)s$/.exec(s) : null;
  return match ? Number(match[1]) : undefined;
};
