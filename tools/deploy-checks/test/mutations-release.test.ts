import { describe, expect, it } from 'vitest';
import { expectProblem, problemsAfter } from './support/expect-check.js';

const STACK_TF = 'infra/modules/lead-intake/main.tf';

describe('the release checks (firebase.json, cloudbuild.yaml, Node 24) on mutated copies', () => {
  it('when nothing is changed in the copy, then the checks of this file find no problem', async () => {
    for (const check of ['hostingRewrites', 'cloudBuildDeploys', 'cloudBuildSite', 'node24'] as const) expect(await problemsAfter(check, [])).toEqual([]);
  });

  it('when Terraform renames the lead service only, then hostingRewrites and cloudBuildDeploys fail', async () => {
    const rename = [{ file: STACK_TF, from: 'lead_service_name    = "chatkit-lead"', to: 'lead_service_name    = "chatkit-leads"' }];
    await expectProblem('hostingRewrites', rename, /rewrites \/api\/chatkit\/lead to "chatkit-lead", but services\/lead runs as "chatkit-leads"/);
    await expectProblem('cloudBuildDeploys', rename, /no step deploys the Cloud Run service chatkit-leads/);
  });

  it('when firebase.json rewrites the session route to another service name, then hostingRewrites fails', async () => {
    await expectProblem(
      'hostingRewrites',
      [{ file: 'firebase.json', from: '"source": "/api/chatkit/session",\n        "run": {\n          "serviceId": "chatkit-session"', to: '"source": "/api/chatkit/session",\n        "run": {\n          "serviceId": "chatkit-sessions"' }],
      /"chatkit-sessions", which Terraform does not define/,
    );
  });

  it('when firebase.json names another region, then hostingRewrites fails', async () => {
    await expectProblem('hostingRewrites', [{ file: 'firebase.json', from: '"region": "us-west1"', to: '"region": "us-central1"', all: true }], /sends \/api\/chatkit\/lead to us-central1, but Terraform runs chatkit-lead in us-west1/);
  });

  it('when Terraform moves the services to another region only, then hostingRewrites fails', async () => {
    await expectProblem('hostingRewrites', [{ file: 'infra/environments/prod/terraform.tfvars.example', from: '# region             = "us-west1"', to: 'region             = "us-east1"' }], /prod: firebase.json sends .* to us-west1, but Terraform runs .* in us-east1/);
  });

  it('when a rewrite pins the tag, then hostingRewrites fails', async () => {
    await expectProblem('hostingRewrites', [{ file: 'firebase.json', from: '"pinTag": false', to: '"pinTag": true', all: true }], /pinTag: false \(decision 0014\)/);
  });

  it('when cloudbuild.yaml deploys a service name Terraform does not have, then cloudBuildDeploys fails', async () => {
    await expectProblem('cloudBuildDeploys', [{ file: 'cloudbuild.yaml', from: "'deploy', 'chatkit-lead'", to: "'deploy', 'chatkit-leads'" }], /no step deploys the Cloud Run service chatkit-lead \(services\/lead\)/);
  });

  it('when cloudbuild.yaml deploys the session image to the lead service, then cloudBuildDeploys fails', async () => {
    await expectProblem(
      'cloudBuildDeploys',
      [{ file: 'cloudbuild.yaml', from: "'chatkit-lead', '--image=${_REGION}-docker.pkg.dev/$PROJECT_ID/${_REPO}/lead:$COMMIT_SHA'", to: "'chatkit-lead', '--image=${_REGION}-docker.pkg.dev/$PROJECT_ID/${_REPO}/session:$COMMIT_SHA'" }],
      /chatkit-lead is deployed with --image=.*session:\$COMMIT_SHA, not the services\/lead\/Dockerfile image/,
    );
  });

  it('when the images go to another repository path, then cloudBuildDeploys fails', async () => {
    await expectProblem('cloudBuildDeploys', [{ file: 'cloudbuild.yaml', from: '/${_REPO}/lead:', to: '/${_REPO}/leads:', all: true }], /services\/lead\/Dockerfile is built as .*\/leads:.*, not into Terraform's .*\/lead$/);
  });

  it('when an image is tagged latest instead of by commit, then cloudBuildDeploys fails', async () => {
    await expectProblem('cloudBuildDeploys', [{ file: 'cloudbuild.yaml', from: '/session:$COMMIT_SHA', to: '/session:latest', all: true }], /is not tagged by commit/);
  });

  it('when cloudbuild.yaml stops declaring a substitution Terraform passes, then cloudBuildDeploys fails', async () => {
    await expectProblem('cloudBuildDeploys', [{ file: 'cloudbuild.yaml', from: "  _SITE_ID: ''\n", to: '' }], /passes _SITE_ID, which cloudbuild.yaml does not declare/);
  });

  it('when a deploy step sets environment variables, then cloudBuildDeploys fails', async () => {
    await expectProblem('cloudBuildDeploys', [{ file: 'cloudbuild.yaml', from: "'--region=${_REGION}', '--quiet']\n    waitFor: ['push-lead']", to: "'--region=${_REGION}', '--quiet', '--update-env-vars=LOG_LEVEL=debug']\n    waitFor: ['push-lead']" }], /sets --update-env-vars; Terraform owns the configuration/);
  });

  it('when the web is built against another ChatKit URL, then cloudBuildSite fails', async () => {
    await expectProblem('cloudBuildSite', [{ file: 'cloudbuild.yaml', from: '.run.app/api/chatkit', to: '.run.app/chatkit' }], /not the session service's streaming URL/);
  });

  it('when the site origin is not in the services ALLOWED_ORIGINS, then cloudBuildSite fails', async () => {
    await expectProblem('cloudBuildSite', [{ file: STACK_TF, from: 'allowed_origins = distinct(concat(local.site_origins, var.extra_allowed_origins))', to: 'allowed_origins = distinct(concat(["https://example.com"], var.extra_allowed_origins))' }], /the site origin https:\/\/rosewood-upholstery.web.app is not in chatkit-session's ALLOWED_ORIGINS/);
  });

  it('when the web is built from another shop profile than the services read, then cloudBuildSite fails', async () => {
    await expectProblem('cloudBuildSite', [{ file: 'infra/modules/lead-intake/main.tf', from: 'shop_profile_path = "/app/packages/shared/shops/${var.shop_profile}"', to: 'shop_profile_path = "/app/packages/shared/shops/rosewood.json"' }], /the web is built from packages\/shared\/shops\/example-shop.json but chatkit-session reads \/app\/packages\/shared\/shops\/rosewood.json/);
  });

  it('when the pages\' CSP no longer allows the session service\'s URL, then cloudBuildSite fails', async () => {
    await expectProblem('cloudBuildSite', [{ file: 'firebase.json', from: "connect-src 'self' https://*.run.app", to: "connect-src 'self' https://*.a.run.app" }], /connect-src \(firebase.json\) does not allow https:\/\/chatkit-session-123456789012.us-west1.run.app/);
  });

  it('when Hosting is deployed without the site id, then cloudBuildSite fails', async () => {
    await expectProblem('cloudBuildSite', [{ file: 'cloudbuild.yaml', from: "'${_SITE_ID}'", to: "'${_SITE_ORIGIN}'" }], /Hosting is not deployed to Terraform's site/);
  });

  it('when a build step moves to node:22, then node24 fails', async () => {
    await expectProblem('node24', [{ file: 'cloudbuild.yaml', from: '  - id: install\n    name: node:24', to: '  - id: install\n    name: node:22' }], /step install runs on node:22, not node:24/);
  });

  it('when a Dockerfile moves to Node 22, then node24 fails', async () => {
    await expectProblem('node24', [{ file: 'services/session/Dockerfile', from: 'ARG NODE_VERSION=24', to: 'ARG NODE_VERSION=22' }], /services\/session\/Dockerfile: FROM node:22-slim is not Node 24/);
  });

  it('when the image build overrides NODE_VERSION, then node24 fails', async () => {
    await expectProblem('node24', [{ file: 'cloudbuild.yaml', from: "args: ['build', '-f', 'services/lead/Dockerfile',", to: "args: ['build', '--build-arg', 'NODE_VERSION=20', '-f', 'services/lead/Dockerfile'," }], /services\/lead\/Dockerfile: FROM node:20-slim is not Node 24/);
  });

  it('when a step runs npm on another image, then node24 fails', async () => {
    await expectProblem('node24', [{ file: 'cloudbuild.yaml', from: "  - id: lint\n    name: node:24", to: "  - id: lint\n    name: gcr.io/google.com/cloudsdktool/cloud-sdk:slim" }], /step lint runs Node tools on gcr.io/);
  });
});
