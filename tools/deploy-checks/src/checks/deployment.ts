/**
 * Everything the cross-checks read, from a repository root (the real one, or a mutated copy in a
 * test): every Terraform environment evaluated with its terraform.tfvars.example, cloudbuild.yaml,
 * firebase.json, the Dockerfile(s) and the Firestore index/TTL file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadConfiguration, type LoadedConfiguration } from '../terraform/configuration.js';
import type { Samples } from '../terraform/computed.js';
import { imageBuilds, type CloudBuild } from './cloudbuild-model.js';
import { parseDockerfile, type Dockerfile } from './dockerfile-model.js';

export interface Environment {
  name: string;
  dir: string;
  tf: LoadedConfiguration;
}

interface FirebaseRewrite {
  source: string;
  run?: { serviceId: string; region?: string; pinTag?: boolean };
}

interface FirebaseJson {
  hosting: {
    public: string;
    rewrites?: FirebaseRewrite[];
    headers?: Array<{ source: string; headers: Array<{ key: string; value: string }> }>;
  };
  firestore?: { rules?: string; indexes?: string };
}

interface FirestoreIndexes {
  indexes: Array<{ collectionGroup: string; queryScope: string; fields: Array<{ fieldPath: string; order?: string }> }>;
  fieldOverrides: Array<{ collectionGroup: string; fieldPath: string; ttl?: boolean; indexes?: unknown[] }>;
}

export interface Deployment {
  root: string;
  environments: Environment[];
  cloudbuild: CloudBuild;
  firebase: FirebaseJson;
  firestoreIndexes: FirestoreIndexes;
  /** The root Dockerfile and every one cloudbuild.yaml builds, by path from the root (absent: no such file). */
  dockerfiles: Record<string, Dockerfile>;
  samples: Samples;
}

const ENVIRONMENTS_DIR = 'infra/environments';

/** The one Dockerfile; `--build-arg SERVICE=<directory of services/>` picks the service (decision 0018). */
export const ROOT_DOCKERFILE = 'Dockerfile';
export const SERVICE_ARG = 'SERVICE';

export async function loadDeployment(root: string, samples: Samples = { projectNumber: '123456789012' }): Promise<Deployment> {
  const envRoot = join(root, ENVIRONMENTS_DIR);
  const environments: Environment[] = [];
  for (const name of readdirSync(envRoot).sort()) {
    const dir = join(envRoot, name);
    const tfvars = join(dir, 'terraform.tfvars.example');
    if (!existsSync(join(dir, 'main.tf'))) continue;
    environments.push({ name, dir, tf: await loadConfiguration({ dir, tfvars: existsSync(tfvars) ? tfvars : undefined, samples }) });
  }
  const firebase = JSON.parse(readFileSync(join(root, 'firebase.json'), 'utf8')) as FirebaseJson;
  const cloudbuild = parseYaml(readFileSync(join(root, 'cloudbuild.yaml'), 'utf8')) as CloudBuild;
  const dockerfiles: Record<string, Dockerfile> = {};
  for (const path of new Set([ROOT_DOCKERFILE, ...imageBuilds(cloudbuild).map((b) => b.dockerfile)])) {
    if (existsSync(join(root, path))) dockerfiles[path] = parseDockerfile(readFileSync(join(root, path), 'utf8'));
  }
  return {
    root,
    environments,
    cloudbuild,
    firebase,
    firestoreIndexes: JSON.parse(
      readFileSync(join(root, firebase.firestore?.indexes ?? 'infra/firestore.indexes.json'), 'utf8'),
    ) as FirestoreIndexes,
    dockerfiles,
    samples,
  };
}
