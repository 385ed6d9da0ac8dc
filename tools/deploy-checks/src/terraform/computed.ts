import type { Value } from './values.js';

/** What the deploy checks assume about sample values only Google knows (the project number). */
export interface Samples {
  projectNumber: string;
}

export const defaultSamples: Samples = { projectNumber: '123456789012' };

type Get = (attribute: string) => Promise<Value>;

/**
 * Attributes Terraform computes at apply time that are predictable from the configuration (an
 * account's email from its account id); anything not listed here is Unknown.
 */
export const computedAttributes: Record<string, Record<string, (get: Get, samples: Samples) => Promise<Value>>> = {
  google_service_account: {
    email: async (get) => `${String(await get('account_id'))}@${String(await get('project'))}.iam.gserviceaccount.com`,
    name: async (get) => `projects/${String(await get('project'))}/serviceAccounts/${String(await get('email'))}`,
    id: async (get) => get('name'),
    member: async (get) => `serviceAccount:${String(await get('email'))}`,
  },
  google_secret_manager_secret: {
    id: async (get) => `projects/${String(await get('project'))}/secrets/${String(await get('secret_id'))}`,
  },
  google_cloud_tasks_queue: {
    id: async (get) =>
      `projects/${String(await get('project'))}/locations/${String(await get('location'))}/queues/${String(await get('name'))}`,
  },
  google_artifact_registry_repository: {
    name: async (get) => get('repository_id'),
    id: async (get) =>
      `projects/${String(await get('project'))}/locations/${String(await get('location'))}/repositories/${String(await get('repository_id'))}`,
  },
  google_firebase_hosting_site: {
    default_url: async (get) => `https://${String(await get('site_id'))}.web.app`,
    name: async (get) => `projects/${String(await get('project'))}/sites/${String(await get('site_id'))}`,
  },
};

export const computedDataAttributes: Record<string, Record<string, (get: Get, samples: Samples) => Promise<Value>>> = {
  google_project: {
    number: async (_get, samples) => samples.projectNumber,
    project_id: async (get) => get('project_id'),
  },
};
