import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectProblem, problemsAfter } from './support/expect-check.js';
import { repoRoot } from './support/mutated-copy.js';

const STACK_TF = 'infra/modules/lead-intake/main.tf';
const SERVICES_TF = 'infra/modules/lead-intake/services.tf';

describe('the infrastructure checks on mutated copies', () => {
  it('when nothing is changed in the copy, then the checks of this file find no problem', async () => {
    for (const check of ['firestore', 'moduleInterfaces', 'leastPrivilege', 'cloudRunShape', 'buildPermissions', 'apis'] as const) {
      expect(await problemsAfter(check, [])).toEqual([]);
    }
  });

  it('when firestore.indexes.json renames a TTL collection only, then firestore fails', async () => {
    await expectProblem(
      'firestore',
      [{ file: 'infra/firestore.indexes.json', from: '"collectionGroup": "leadThreads"', to: '"collectionGroup": "leadRecords"' }],
      /TTL policies .* differ from firestore.indexes.json/,
    );
  });

  it('when Terraform drops the items TTL policy only, then firestore fails', async () => {
    await expectProblem(
      'firestore',
      [{ file: STACK_TF, from: '    { collection_group = "items", field = "expiresAt" },\n', to: '' }],
      /differ from firestore.indexes.json/,
    );
  });

  it('when the lead service writes to a collection without a TTL policy, then firestore fails', async () => {
    await expectProblem(
      'firestore',
      [
        {
          file: SERVICES_TF,
          from: '    FIRESTORE_COLLECTION           = local.lead_collection',
          to: '    FIRESTORE_COLLECTION           = "leads"',
        },
      ],
      /the services use the collection leads, which has no TTL policy/,
    );
  });

  it('when a composite index differs from firestore.indexes.json, then firestore fails', async () => {
    await expectProblem(
      'firestore',
      [
        {
          file: STACK_TF,
          from: '{ field_path = "sortKey", order = "DESCENDING" }',
          to: '{ field_path = "createdAt", order = "DESCENDING" }',
        },
      ],
      /composite indexes .* differ/,
    );
  });

  it('when firebase.json names rules Terraform does not release, then firestore fails', async () => {
    const open = readFileSync(join(repoRoot, 'infra/firestore.rules'), 'utf8').replace('if false', 'if true');
    await expectProblem(
      'firestore',
      [{ file: 'firebase.json', from: '"rules": "infra/firestore.rules"', to: '"rules": "infra/firestore.open.rules"' }],
      /no Terraform ruleset releases infra\/firestore.open.rules/,
      {
        files: { 'infra/firestore.open.rules': open },
      },
    );
  });

  it('when a variable loses its description, then moduleInterfaces fails', async () => {
    await expectProblem(
      'moduleInterfaces',
      [
        {
          file: 'infra/modules/task-queue/variables.tf',
          from: '  description = "Queue id. A deleted queue\'s id cannot be reused for about 7 days."\n',
          to: '',
        },
      ],
      /infra\/modules\/task-queue: variable "name" has no description/,
    );
  });

  it('when a variable loses its type, then moduleInterfaces fails', async () => {
    await expectProblem(
      'moduleInterfaces',
      [
        {
          file: 'infra/environments/prod/variables.tf',
          from: 'variable "project_id" {\n  type        = string\n',
          to: 'variable "project_id" {\n',
        },
      ],
      /infra\/environments\/prod: variable "project_id" has no type/,
    );
  });

  it('when an environment loses its remote state backend, then moduleInterfaces fails', async () => {
    await expectProblem(
      'moduleInterfaces',
      [{ file: 'infra/environments/staging/versions.tf', from: '  backend "gcs" {}\n', to: '' }],
      /staging: no backend "gcs"/,
    );
  });

  it('when the build gets project-wide secret access, then leastPrivilege fails', async () => {
    await expectProblem(
      'leastPrivilege',
      [
        {
          file: 'infra/modules/build/main.tf',
          from: '    log_writer = "roles/logging.logWriter"',
          to: '    log_writer = "roles/logging.logWriter"\n    secrets    = "roles/secretmanager.secretAccessor"',
        },
      ],
      /grants roles\/secretmanager.secretAccessor on the whole project/,
    );
  });

  it('when Terraform gets a secret version, then leastPrivilege fails', async () => {
    await expectProblem(
      'leastPrivilege',
      [
        {
          file: 'infra/modules/secrets/main.tf',
          from: 'resource "google_secret_manager_secret_iam_member"',
          to: 'resource "google_secret_manager_secret_version" "oops" {\n  secret      = "x"\n  secret_data = "sk-123"\n}\n\nresource "google_secret_manager_secret_iam_member"',
        },
      ],
      /holds a secret version/,
    );
  });

  it('when the startup probe leaves /health, then cloudRunShape fails', async () => {
    await expectProblem(
      'cloudRunShape',
      [
        {
          file: 'infra/modules/cloud-run-service/main.tf',
          from: '      startup_probe {\n        initial_delay_seconds = 0\n        period_seconds        = 2\n        timeout_seconds       = 2\n        failure_threshold     = 15\n\n        http_get {\n          path = "/health"',
          to: '      startup_probe {\n        initial_delay_seconds = 0\n        period_seconds        = 2\n        timeout_seconds       = 2\n        failure_threshold     = 15\n\n        http_get {\n          path = "/healthz"',
        },
      ],
      /no startup probe on GET \/health/,
    );
  });

  it('when the session service throttles CPU between requests, then cloudRunShape fails', async () => {
    await expectProblem(
      'cloudRunShape',
      [{ file: SERVICES_TF, from: '  cpu_always_allocated    = true', to: '  cpu_always_allocated    = false' }],
      /throttles CPU between requests/,
    );
  });

  it('when the session service times out before a streamed turn can end, then cloudRunShape fails', async () => {
    await expectProblem(
      'cloudRunShape',
      [{ file: SERVICES_TF, from: '  request_timeout_seconds = 300', to: '  request_timeout_seconds = 30' }],
      /request timeout 30s is shorter than a streamed turn may take/,
    );
  });

  it('when a service is not public, then cloudRunShape fails', async () => {
    await expectProblem(
      'cloudRunShape',
      [{ file: SERVICES_TF, from: '  public                  = true\n  invokers', to: '  public                  = false\n  invokers' }],
      /chatkit-lead: not publicly invokable/,
    );
  });

  it('when Terraform stops ignoring the image, then cloudRunShape fails', async () => {
    await expectProblem(
      'cloudRunShape',
      [{ file: 'infra/modules/cloud-run-service/main.tf', from: '      template[0].containers[0].image,\n', to: '' }],
      /would roll back Cloud Build's image/,
    );
  });

  it('when the build account loses run.developer, then buildPermissions fails', async () => {
    await expectProblem(
      'buildPermissions',
      [{ file: 'infra/modules/build/main.tf', from: '    run_developer = "roles/run.developer"\n', to: '' }],
      /lacks roles\/run.developer/,
    );
  });

  it('when the build account may not act as the lead runtime account, then buildPermissions fails', async () => {
    await expectProblem(
      'buildPermissions',
      [{ file: STACK_TF, from: '    lead    = google_service_account.lead.name\n', to: '' }],
      /may not deploy revisions running as chatkit-lead@/,
    );
  });

  it('when an API is not enabled, then apis fails', async () => {
    await expectProblem(
      'apis',
      [{ file: STACK_TF, from: '    "cloudtasks.googleapis.com",\n', to: '' }],
      /cloudtasks.googleapis.com is used but not enabled/,
    );
  });
});

describe('the deploy guide check on mutated copies', () => {
  it('when nothing is changed in the copy, then deployGuide finds no problem', async () => {
    expect(await problemsAfter('deployGuide', [])).toEqual([]);
  });

  it('when Terraform renames an output the guide reads, then deployGuide fails', async () => {
    await expectProblem(
      'deployGuide',
      [{ file: 'infra/environments/prod/outputs.tf', from: 'output "build_sources_bucket" {', to: 'output "build_bucket" {' }],
      /reads terraform output build_sources_bucket/,
    );
  });

  it('when Terraform adds a secret the guide never fills, then deployGuide fails', async () => {
    await expectProblem(
      'deployGuide',
      [{ file: STACK_TF, from: '"SES_AWS_SECRET_ACCESS_KEY"]', to: '"SES_AWS_SECRET_ACCESS_KEY", "SHOP_WEBHOOK_TOKEN"]' }],
      /never gives the secret SHOP_WEBHOOK_TOKEN a value/,
    );
  });

  it("when the secrets module is renamed, then the guide's -target fails", async () => {
    await expectProblem(
      'deployGuide',
      [
        { file: STACK_TF, from: 'module "secrets" {', to: 'module "secret_store" {' },
        { file: 'infra/modules/lead-intake/outputs.tf', from: 'module.secrets', to: 'module.secret_store', all: true },
        { file: SERVICES_TF, from: 'module.secrets', to: 'module.secret_store', all: true },
      ],
      /targets module.lead_intake.module.secrets/,
    );
  });
});
