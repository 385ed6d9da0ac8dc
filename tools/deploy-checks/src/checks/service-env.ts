/**
 * Every variable and secret each service's zod config needs is in its Cloud Run definition, and
 * nothing there is a name the code does not read. The proof is the service's own loadConfig()
 * run on exactly what Cloud Run would give the container.
 */
import { Unknown } from '../terraform/values.js';
import type { Deployment, Environment } from './deployment.js';
import { CLOUD_RUN_PROVIDED_ENV, CLOUD_RUN_RESERVED_ENV, LIBRARY_ENV, type Code, type ServiceCode } from './services.js';
import { byType, cloudRunService, serviceDefinition, text, type ServiceDefinition } from './terraform-queries.js';

/** What the container's environment would be: plain values, secrets as placeholders, Cloud Run's own. */
export function containerEnv(definition: ServiceDefinition): Record<string, string> {
  const env: Record<string, string> = { ...CLOUD_RUN_PROVIDED_ENV };
  for (const [name, value] of Object.entries(definition.env)) if (!(value instanceof Unknown)) env[name] = value;
  for (const name of Object.keys(definition.secretEnv)) env[name] = `(from Secret Manager ${name})`;
  return env;
}

export async function checkServiceEnv(deployment: Deployment, code: Code): Promise<string[]> {
  const problems: string[] = [];
  for (const environment of deployment.environments) {
    for (const service of [code.session, code.lead] as Array<ServiceCode<unknown>>) {
      problems.push(...(await checkOne(environment, service)));
    }
  }
  return problems;
}

async function checkOne(environment: Environment, service: ServiceCode<unknown>): Promise<string[]> {
  const where = `${environment.name}: ${service.workspace}`;
  const resource = cloudRunService(environment, service.terraformModule);
  if (!resource) return [`${where}: no google_cloud_run_v2_service in module "${service.terraformModule}"`];
  const definition = await serviceDefinition(resource);
  const problems: string[] = [];
  const known = new Set(service.envKeys);

  for (const [name, value] of [...Object.entries(definition.env), ...Object.keys(definition.secretEnv).map((n) => [n, ''] as const)]) {
    if (CLOUD_RUN_RESERVED_ENV.has(name)) problems.push(`${where}: ${name} is set by Cloud Run and may not be defined`);
    else if (!known.has(name) && !LIBRARY_ENV.has(name))
      problems.push(`${where}: ${name} is set on ${definition.name} but ${service.workspace}/src/config.ts does not read it`);
    if (value instanceof Unknown) problems.push(`${where}: ${name} is only known after apply (${value.why}); the check cannot verify it`);
  }
  for (const name of service.secretNames) {
    if (name in definition.env)
      problems.push(`${where}: the secret ${name} has a plain value in Terraform; reference it (${name}_SECRET) instead`);
  }
  problems.push(...(await checkSecretReferences(environment, service, definition, where)));

  const loaded = service.load(containerEnv(definition));
  if (!loaded.ok) problems.push(`${where}: its config refuses the Cloud Run environment of ${definition.name}:\n${loaded.message}`);
  return problems;
}

/** Each secret resolves to a Terraform-defined secret the service's account may read. */
async function checkSecretReferences(
  environment: Environment,
  service: ServiceCode<unknown>,
  definition: ServiceDefinition,
  where: string,
): Promise<string[]> {
  const problems: string[] = [];
  const project = definition.env.GOOGLE_CLOUD_PROJECT;
  const secrets = new Map<string, string>();
  for (const secret of byType(environment, 'google_secret_manager_secret')) {
    const id = text(await secret.get('id'));
    if (id) secrets.set(id, text(await secret.get('secret_id')) ?? '');
  }
  const referenced: Array<{ variable: string; secretId: string }> = [];
  for (const name of service.secretNames) {
    const override = definition.env[`${name}_SECRET`];
    const mounted = definition.secretEnv[name];
    let resource: string | undefined;
    if (typeof override === 'string') {
      const match = /^(projects\/[^/]+\/secrets\/[^/]+)\/versions\/[^/]+$/.exec(override);
      if (!match) problems.push(`${where}: ${name}_SECRET="${override}" is not projects/<p>/secrets/<id>/versions/<v>`);
      resource = match?.[1];
    } else if (mounted) {
      resource = mounted.secret.startsWith('projects/') ? mounted.secret : `projects/${String(project)}/secrets/${mounted.secret}`;
    } else {
      resource = `projects/${String(project)}/secrets/${name}`;
    }
    if (!resource) continue;
    const secretId = secrets.get(resource);
    if (secretId === undefined) problems.push(`${where}: ${name} is read from ${resource}, which Terraform does not define`);
    else referenced.push({ variable: name, secretId });
  }
  for (const [name, mounted] of Object.entries(definition.secretEnv)) {
    const resource = mounted.secret.startsWith('projects/') ? mounted.secret : `projects/${String(project)}/secrets/${mounted.secret}`;
    const secretId = secrets.get(resource);
    if (secretId === undefined) problems.push(`${where}: ${name} comes from ${resource}, which Terraform does not define`);
    else referenced.push({ variable: name, secretId });
  }
  const member = `serviceAccount:${definition.serviceAccount ?? '?'}`;
  const accessors = byType(environment, 'google_secret_manager_secret_iam_member');
  for (const { variable, secretId } of referenced) {
    let granted = false;
    for (const accessor of accessors) {
      const body = await accessor.body();
      if (
        body.role === 'roles/secretmanager.secretAccessor' &&
        body.member === member &&
        String(body.secret_id).endsWith(`/secrets/${secretId}`)
      )
        granted = true;
    }
    if (!granted)
      problems.push(
        `${where}: ${definition.serviceAccount ?? 'its service account'} has no roles/secretmanager.secretAccessor on ${secretId} (${variable})`,
      );
  }
  return problems;
}
