/**
 * Terraform conventions the deploy guide relies on: typed and described variables, remote state,
 * no secret values, least-privilege grants, Cloud Run services shaped for this product, APIs on.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadModule } from '../terraform/load.js';
import type { Deployment } from './deployment.js';
import { containerEnv } from './service-env.js';
import type { Code, ServiceCode } from './services.js';
import { block, byType, cloudRunService, seconds, serviceDefinition, text } from './terraform-queries.js';

export async function checkModuleInterfaces(deployment: Deployment): Promise<string[]> {
  const problems: string[] = [];
  const dirs = ['infra/modules', 'infra/environments'].flatMap((parent) =>
    readdirSync(join(deployment.root, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(parent, entry.name)),
  );
  for (const dir of dirs) {
    const config = await loadModule(join(deployment.root, dir));
    for (const [name, variable] of Object.entries(config.variables)) {
      if (!variable.type) problems.push(`${dir}: variable "${name}" has no type`);
      if (!variable.description?.trim()) problems.push(`${dir}: variable "${name}" has no description`);
    }
    for (const [name, output] of Object.entries(config.outputs))
      if (!output.description?.trim()) problems.push(`${dir}: output "${name}" has no description`);
    if (dir.startsWith('infra/environments/')) {
      const backends = config.terraform.flatMap((block) => Object.keys((block.backend ?? {}) as object));
      if (!backends.includes('gcs')) problems.push(`${dir}: no backend "gcs" (remote state)`);
    }
  }
  return problems;
}

const BROAD_ROLES = [
  'roles/owner',
  'roles/editor',
  'roles/secretmanager.secretAccessor',
  'roles/secretmanager.admin',
  'roles/cloudtasks.enqueuer',
  'roles/iam.serviceAccountUser',
  'roles/iam.serviceAccountTokenCreator',
  'roles/run.admin',
];

export async function checkLeastPrivilege(deployment: Deployment): Promise<string[]> {
  const problems: string[] = [];
  for (const environment of deployment.environments) {
    if (byType(environment, 'google_secret_manager_secret_version').length > 0)
      problems.push(`${environment.name}: Terraform holds a secret version (a value); add values with gcloud instead`);
    for (const type of ['google_project_iam_member', 'google_project_iam_binding', 'google_project_iam_policy']) {
      for (const grant of byType(environment, type)) {
        const role = text((await grant.body()).role);
        if (type !== 'google_project_iam_member' || (role && BROAD_ROLES.includes(role)))
          problems.push(`${environment.name}: ${grant.address} grants ${String(role)} on the whole project`);
      }
    }
  }
  return problems;
}

/** Probes, ports, public invocation, image ownership, and timeouts fit for each service's work. */
export async function checkCloudRunShape(deployment: Deployment, code: Code): Promise<string[]> {
  const problems: string[] = [];
  for (const environment of deployment.environments) {
    for (const service of [code.session, code.lead] as Array<ServiceCode<unknown>>) {
      const resource = cloudRunService(environment, service.terraformModule);
      if (!resource) continue;
      const definition = await serviceDefinition(resource);
      const where = `${environment.name}: ${definition.name}`;
      if (text(block(block(definition.container.startup_probe).http_get).path) !== '/health')
        problems.push(`${where}: no startup probe on GET /health`);
      if (block(definition.container.ports).container_port !== 8080) problems.push(`${where}: the container port is not 8080 (PORT)`);
      const ignored = JSON.stringify((resource.raw.lifecycle as unknown[] | undefined) ?? []);
      if (!ignored.includes('template[0].containers[0].image'))
        problems.push(`${where}: Terraform would roll back Cloud Build's image (lifecycle.ignore_changes lacks the image)`);
      let publicInvoker = false;
      for (const grant of byType(environment, 'google_cloud_run_v2_service_iam_member')) {
        const body = await grant.body();
        if (body.name === definition.name && body.role === 'roles/run.invoker' && body.member === 'allUsers') publicInvoker = true;
      }
      if (!publicInvoker)
        problems.push(`${where}: not publicly invokable, but Firebase Hosting and browsers call it without Google credentials`);
      const scaling = block(definition.template.scaling);
      if (typeof scaling.max_instance_count !== 'number') problems.push(`${where}: no max_instance_count (cost ceiling)`);
    }
    // The session service streams model answers: a turn may take the OpenAI timeout for every retry.
    const session = cloudRunService(environment, code.session.terraformModule);
    if (session) {
      const definition = await serviceDefinition(session);
      const loaded = code.session.load(containerEnv(definition));
      if (loaded.ok) {
        const turn = (loaded.config.OPENAI_TIMEOUT_MS / 1000) * (loaded.config.OPENAI_MAX_RETRIES + 1) + 30;
        const timeout = seconds(definition.template.timeout) ?? 0;
        if (timeout < turn)
          problems.push(
            `${environment.name}: ${definition.name}'s request timeout ${timeout}s is shorter than a streamed turn may take (${turn}s)`,
          );
      }
      if (Number(definition.template.max_instance_request_concurrency) < 10)
        problems.push(`${environment.name}: ${definition.name} serves fewer than 10 streams per instance`);
      if (block(definition.container.resources).cpu_idle !== false) {
        problems.push(
          `${environment.name}: ${definition.name} throttles CPU between requests, but it enqueues the lead trigger after a stream ends`,
        );
      }
    }
  }
  return problems;
}

/** The API each resource type needs. */
const API_OF: Array<[RegExp, string]> = [
  [/^google_cloud_run_v2_/, 'run.googleapis.com'],
  [/^google_cloud_tasks_/, 'cloudtasks.googleapis.com'],
  [/^google_secret_manager_/, 'secretmanager.googleapis.com'],
  [/^google_firestore_/, 'firestore.googleapis.com'],
  [/^google_firebaserules_/, 'firebaserules.googleapis.com'],
  [/^google_firebase_hosting_/, 'firebasehosting.googleapis.com'],
  [/^google_firebase_project$/, 'firebase.googleapis.com'],
  [/^google_artifact_registry_/, 'artifactregistry.googleapis.com'],
  [/^google_service_account/, 'iam.googleapis.com'],
  [/^google_storage_/, 'storage.googleapis.com'],
];

export async function checkApis(deployment: Deployment): Promise<string[]> {
  const problems: string[] = [];
  for (const environment of deployment.environments) {
    const enabled = new Set<string>();
    for (const api of byType(environment, 'google_project_service')) enabled.add(String((await api.body()).service));
    const needed = new Set<string>(['cloudbuild.googleapis.com', 'iamcredentials.googleapis.com']);
    for (const resource of environment.tf.resources) for (const [pattern, api] of API_OF) if (pattern.test(resource.type)) needed.add(api);
    for (const api of needed) if (!enabled.has(api)) problems.push(`${environment.name}: ${api} is used but not enabled`);
  }
  return problems;
}
