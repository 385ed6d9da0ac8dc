import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfiguration } from '../src/terraform/configuration.js';
import { Unknown } from '../src/terraform/values.js';

const root = mkdtempSync(join(tmpdir(), 'tf-eval-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function module(dir: string, files: Record<string, string>): string {
  const path = join(root, dir);
  mkdirSync(path, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(path, name), text);
  return path;
}

module('modules/child', {
  'main.tf': `
variable "names" {
  type        = list(string)
  description = "d"
}
variable "prefix" {
  type        = string
  description = "d"
  default     = "p"
}
resource "google_service_account" "each" {
  for_each   = toset(var.names)
  project    = "proj"
  account_id = "\${var.prefix}-\${each.key}"
}
output "emails" {
  description = "d"
  value       = { for name, account in google_service_account.each : name => account.email }
}
`,
});

const env = module('env', {
  'main.tf': `
variable "project_id" {
  type        = string
  description = "d"
}
variable "enabled" {
  type        = bool
  description = "d"
  default     = false
}
data "google_project" "this" {
  project_id = var.project_id
}
locals {
  url     = "https://svc-\${data.google_project.this.number}.run.app"
  origins = [for host in ["a.example", "b.example"] : "https://\${host}" if host != "b.example"]
  picked  = var.enabled ? "on" : "off"
  joined  = join(",", concat(local.origins, ["https://c.example"]))
}
module "child" {
  source = "../modules/child"
  names  = ["x", "y"]
}
resource "google_cloud_run_v2_service" "svc" {
  count    = var.enabled ? 0 : 1
  name     = "svc"
  location = "us-west1"
  template {
    containers {
      image = "img"
      dynamic "env" {
        for_each = { A = local.url, B = module.child.emails["y"] }
        content {
          name  = env.key
          value = env.value
        }
      }
    }
  }
}
output "uri" {
  description = "d"
  value       = google_cloud_run_v2_service.svc[0].uri
}
output "picked" {
  description = "d"
  value       = local.picked
}
output "joined" {
  description = "d"
  value       = local.joined
}
`,
  'terraform.tfvars': 'project_id = "proj"\n',
});
describe('the Terraform evaluator', () => {
  it("when a module is evaluated, then locals, for expressions, conditionals and functions give Terraform's values", async () => {
    const tf = await loadConfiguration({ dir: env, tfvars: join(env, 'terraform.tfvars') });
    expect(await tf.output('picked')).toBe('off');
    expect(await tf.output('joined')).toBe('https://a.example,https://c.example');
  });

  it('when a resource has for_each and dynamic blocks, then each instance and block is expanded with computed attributes', async () => {
    const tf = await loadConfiguration({ dir: env, tfvars: join(env, 'terraform.tfvars') });
    expect(tf.resources.map((r) => r.address).sort()).toEqual([
      'data.google_project.this',
      'google_cloud_run_v2_service.svc[0]',
      'module.child.google_service_account.each["x"]',
      'module.child.google_service_account.each["y"]',
    ]);
    const svc = tf.resources.find((r) => r.type === 'google_cloud_run_v2_service');
    const body = (await svc?.body()) as { template: Array<{ containers: Array<{ env: unknown }> }> };
    expect(body.template[0]?.containers[0]?.env).toEqual([
      { name: 'A', value: 'https://svc-123456789012.run.app' },
      { name: 'B', value: 'p-y@proj.iam.gserviceaccount.com' },
    ]);
  });

  it('when an attribute exists only after apply, then it is Unknown rather than a guess', async () => {
    const tf = await loadConfiguration({ dir: env, tfvars: join(env, 'terraform.tfvars') });
    expect(await tf.output('uri')).toBeInstanceOf(Unknown);
  });

  it('when count evaluates to zero, then the resource has no instance', async () => {
    const tf = await loadConfiguration({ dir: env, tfvars: join(env, 'terraform.tfvars'), variables: { enabled: true } });
    expect(tf.resources.some((r) => r.type === 'google_cloud_run_v2_service')).toBe(false);
  });

  it('when an expression calls a function the evaluator lacks, then it fails naming the function', async () => {
    const tf = await loadConfiguration({ dir: env, tfvars: join(env, 'terraform.tfvars') });
    await expect(tf.evaluate('cidrhost("10.0.0.0/8", 1)')).rejects.toThrow(/function cidrhost\(\) is not supported/);
  });

  it('when a required variable has no value, then evaluating what uses it fails naming it', async () => {
    const tf = await loadConfiguration({ dir: env });
    await expect(tf.evaluate('"${var.project_id}-x"')).rejects.toThrow(/variable "project_id" has no value and no default/);
  });
});
