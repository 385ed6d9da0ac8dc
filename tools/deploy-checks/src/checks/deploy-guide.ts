/**
 * docs/deploy.md runs against the real files: the Terraform outputs, resource addresses and
 * targets it names exist, every secret Terraform creates gets a value, and the Cloud Run services
 * and Cloud Build substitutions it mentions are the ones defined.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Deployment } from './deployment.js';
import { byType } from './terraform-queries.js';

const DEPLOY_GUIDE = 'docs/deploy.md';

export async function checkDeployGuide(deployment: Deployment): Promise<string[]> {
  const problems: string[] = [];
  const guide = readFileSync(join(deployment.root, DEPLOY_GUIDE), 'utf8');
  const environment = deployment.environments.find((e) => e.name === 'prod');
  if (!environment) return [`${DEPLOY_GUIDE}: no prod environment to check it against`];
  const outputs = new Set(Object.keys(environment.tf.root.config.outputs));
  for (const match of guide.matchAll(/\$TF output(?: -raw)? ([a-z_]+)/g)) {
    if (!outputs.has(match[1] ?? ''))
      problems.push(`${DEPLOY_GUIDE} reads terraform output ${match[1]}, which infra/environments/prod does not define`);
  }
  const addresses = environment.tf.resources.map((r) => r.address.replace(/\[[^\]]*\]$/, ''));
  for (const match of guide.matchAll(/\$TF import (\S+)/g)) {
    if (!addresses.includes(match[1] ?? ''))
      problems.push(`${DEPLOY_GUIDE} imports into ${match[1]}, which is not a resource of the prod environment`);
  }
  for (const match of guide.matchAll(/-target=(\S+)/g)) {
    const target = match[1] ?? '';
    if (!addresses.some((address) => address === target || address.startsWith(`${target}.`)))
      problems.push(`${DEPLOY_GUIDE} targets ${target}, which matches nothing in the prod environment`);
  }
  for (const secret of byType(environment, 'google_secret_manager_secret')) {
    const id = String(await secret.get('secret_id'));
    if (!new RegExp(`gcloud secrets versions add ${id} `).test(guide))
      problems.push(`${DEPLOY_GUIDE} never gives the secret ${id} a value (gcloud secrets versions add ${id})`);
  }
  const services = new Set<string>();
  for (const service of byType(environment, 'google_cloud_run_v2_service')) services.add(String((await service.body()).name));
  for (const match of guide.matchAll(/gcloud run (?:deploy|services \S+|revisions list --service=)\s*(chatkit-[a-z-]+)/g)) {
    if (!services.has(match[1] ?? '')) problems.push(`${DEPLOY_GUIDE} runs gcloud on ${match[1]}, which Terraform does not define`);
  }
  const declared = new Set(Object.keys(deployment.cloudbuild.substitutions ?? {}));
  for (const match of guide.matchAll(/`(_[A-Z_]+)`/g)) {
    if (!declared.has(match[1] ?? ''))
      problems.push(`${DEPLOY_GUIDE} names the substitution ${match[1]}, which cloudbuild.yaml does not declare`);
  }
  for (const topic of [
    'terraform init',
    'ChatKit',
    'domain_pk_',
    'sandbox',
    'production access',
    'pinTag',
    'update-traffic',
    'hosting:clone',
    'What it costs',
  ]) {
    if (!guide.includes(topic)) problems.push(`${DEPLOY_GUIDE} does not cover "${topic}"`);
  }
  return problems;
}
