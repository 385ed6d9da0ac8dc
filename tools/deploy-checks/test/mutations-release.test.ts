import { describe, expect, it } from 'vitest';
import { code } from '../src/checks/services.js';
import { expectProblem, problemsAfter } from './support/expect-check.js';

const STACK_TF = 'infra/modules/lead-intake/main.tf';

const BUILD_LEAD = "args: ['build', '--build-arg', 'SERVICE=lead',";
const BUILD_SESSION = "args: ['build', '--build-arg', 'SERVICE=session',";
const FINAL_STAGE = 'FROM node:${NODE_VERSION}-slim\nARG SERVICE\n';

describe('the release checks (firebase.json, cloudbuild.yaml, the Dockerfile, Node 24) on mutated copies', () => {
  it('when nothing is changed in the copy, then the checks of this file find no problem', async () => {
    for (const check of ['hostingRewrites', 'cloudBuildDeploys', 'cloudBuildSite', 'imageBuilds', 'node24'] as const)
      expect(await problemsAfter(check, [])).toEqual([]);
  });

  it('when Terraform renames the lead service only, then hostingRewrites and cloudBuildDeploys fail', async () => {
    const rename = [{ file: STACK_TF, from: 'lead_service_name    = "chatkit-lead"', to: 'lead_service_name    = "chatkit-leads"' }];
    await expectProblem(
      'hostingRewrites',
      rename,
      /rewrites \/api\/chatkit\/lead to "chatkit-lead", but services\/lead runs as "chatkit-leads"/,
    );
    await expectProblem('cloudBuildDeploys', rename, /no step deploys the Cloud Run service chatkit-leads/);
  });

  it('when firebase.json rewrites the session route to another service name, then hostingRewrites fails', async () => {
    await expectProblem(
      'hostingRewrites',
      [
        {
          file: 'firebase.json',
          from: '"source": "/api/chatkit/session",\n        "run": {\n          "serviceId": "chatkit-session"',
          to: '"source": "/api/chatkit/session",\n        "run": {\n          "serviceId": "chatkit-sessions"',
        },
      ],
      /"chatkit-sessions", which Terraform does not define/,
    );
  });

  it('when firebase.json names another region, then hostingRewrites fails', async () => {
    await expectProblem(
      'hostingRewrites',
      [{ file: 'firebase.json', from: '"region": "us-west1"', to: '"region": "us-central1"', all: true }],
      /sends \/api\/chatkit\/lead to us-central1, but Terraform runs chatkit-lead in us-west1/,
    );
  });

  it('when Terraform moves the services to another region only, then hostingRewrites fails', async () => {
    await expectProblem(
      'hostingRewrites',
      [
        {
          file: 'infra/environments/prod/terraform.tfvars.example',
          from: '# region             = "us-west1"',
          to: 'region             = "us-east1"',
        },
      ],
      /prod: firebase.json sends .* to us-west1, but Terraform runs .* in us-east1/,
    );
  });

  it('when a rewrite pins the tag, then hostingRewrites fails', async () => {
    await expectProblem(
      'hostingRewrites',
      [{ file: 'firebase.json', from: '"pinTag": false', to: '"pinTag": true', all: true }],
      /pinTag: false \(decision 0014\)/,
    );
  });

  it('when cloudbuild.yaml deploys a service name Terraform does not have, then cloudBuildDeploys fails', async () => {
    await expectProblem(
      'cloudBuildDeploys',
      [{ file: 'cloudbuild.yaml', from: "'deploy', 'chatkit-lead'", to: "'deploy', 'chatkit-leads'" }],
      /no step deploys the Cloud Run service chatkit-lead \(services\/lead\)/,
    );
  });

  it('when cloudbuild.yaml deploys the session image to the lead service, then cloudBuildDeploys fails', async () => {
    await expectProblem(
      'cloudBuildDeploys',
      [
        {
          file: 'cloudbuild.yaml',
          from: "'chatkit-lead', '--image=${_REGION}-docker.pkg.dev/$PROJECT_ID/${_REPO}/lead:$COMMIT_SHA'",
          to: "'chatkit-lead', '--image=${_REGION}-docker.pkg.dev/$PROJECT_ID/${_REPO}/session:$COMMIT_SHA'",
        },
      ],
      /chatkit-lead is deployed with --image=.*session:\$COMMIT_SHA, not the services\/lead image \(SERVICE=lead\)/,
    );
  });

  it('when the images go to another repository path, then cloudBuildDeploys fails', async () => {
    await expectProblem(
      'cloudBuildDeploys',
      [{ file: 'cloudbuild.yaml', from: '/${_REPO}/lead:', to: '/${_REPO}/leads:', all: true }],
      /the services\/lead image \(SERVICE=lead\) is built as .*\/leads:.*, not into Terraform's .*\/lead$/,
    );
  });

  it('when the two build steps swap their SERVICE build-args, then cloudBuildDeploys fails', async () => {
    const swap = [
      { file: 'cloudbuild.yaml', from: "'SERVICE=lead'", to: "'SERVICE=swapped'" },
      { file: 'cloudbuild.yaml', from: "'SERVICE=session'", to: "'SERVICE=lead'" },
      { file: 'cloudbuild.yaml', from: "'SERVICE=swapped'", to: "'SERVICE=session'" },
    ];
    await expectProblem(
      'cloudBuildDeploys',
      swap,
      /the services\/lead image \(SERVICE=lead\) is built as .*\/session:.*, not into Terraform's .*\/lead$/,
    );
    await expectProblem(
      'cloudBuildDeploys',
      swap,
      /the services\/session image \(SERVICE=session\) is built as .*\/lead:.*, not into Terraform's .*\/session$/,
    );
  });

  it('when a build step loses its SERVICE build-arg, then imageBuilds and cloudBuildDeploys fail', async () => {
    const drop = [{ file: 'cloudbuild.yaml', from: BUILD_LEAD, to: "args: ['build'," }];
    await expectProblem('imageBuilds', drop, /step build-lead passes no --build-arg SERVICE=<lead\|session>/);
    await expectProblem('cloudBuildDeploys', drop, /no docker build step with --build-arg SERVICE=lead \(services\/lead\) and a -t tag/);
  });

  it('when a build step names a service directory that does not exist, then imageBuilds and cloudBuildDeploys fail', async () => {
    const wrong = [{ file: 'cloudbuild.yaml', from: "'SERVICE=lead'", to: "'SERVICE=leads'" }];
    await expectProblem(
      'imageBuilds',
      wrong,
      /step build-lead builds SERVICE=leads, which is no directory of services\/ with a package.json \(lead, session\)/,
    );
    await expectProblem('cloudBuildDeploys', wrong, /no docker build step with --build-arg SERVICE=lead/);
  });

  it('when a build step names a path outside services/, then imageBuilds fails', async () => {
    await expectProblem(
      'imageBuilds',
      [{ file: 'cloudbuild.yaml', from: "'SERVICE=lead'", to: "'SERVICE=../packages/shared'" }],
      /builds SERVICE=\.\.\/packages\/shared, which is no directory of services\//,
    );
  });

  it('when both build steps build the same service, then imageBuilds fails', async () => {
    await expectProblem(
      'imageBuilds',
      [{ file: 'cloudbuild.yaml', from: "'SERVICE=lead'", to: "'SERVICE=session'" }],
      /steps build-session and build-lead both build SERVICE=session/,
    );
  });

  it('when the services code names another SERVICE value (code side only), then cloudBuildDeploys fails', async () => {
    await expectProblem('cloudBuildDeploys', [], /no docker build step with --build-arg SERVICE=leads \(services\/lead\)/, {
      code: { ...code, lead: { ...code.lead, serviceArg: 'leads' } },
    });
  });

  it('when a build step builds another Dockerfile, then imageBuilds fails', async () => {
    const other = [
      {
        file: 'cloudbuild.yaml',
        from: BUILD_SESSION,
        to: "args: ['build', '-f', 'services/session/Dockerfile', '--build-arg', 'SERVICE=session',",
      },
    ];
    await expectProblem(
      'imageBuilds',
      other,
      /step build-session builds services\/session\/Dockerfile; every image comes from the root Dockerfile/,
    );
    await expectProblem('imageBuilds', other, /step build-session builds services\/session\/Dockerfile, which does not exist/);
  });

  it('when a build step passes a build-arg the Dockerfile does not declare, then imageBuilds fails', async () => {
    await expectProblem(
      'imageBuilds',
      [{ file: 'cloudbuild.yaml', from: "'SERVICE=lead'", to: "'SERVCE=lead'" }],
      /step build-lead passes --build-arg SERVCE, which Dockerfile does not declare/,
    );
  });

  it('when the Dockerfile renames its SERVICE argument, then imageBuilds fails', async () => {
    const renamed = [{ file: 'Dockerfile', from: 'SERVICE', to: 'WORKSPACE', all: true }];
    await expectProblem('imageBuilds', renamed, /^Dockerfile declares no ARG SERVICE/);
    await expectProblem('imageBuilds', renamed, /step build-session passes --build-arg SERVICE, which Dockerfile does not declare/);
  });

  it('when the Dockerfile gives SERVICE a default, then imageBuilds fails', async () => {
    await expectProblem(
      'imageBuilds',
      [{ file: 'Dockerfile', from: 'ARG SERVICE\n', to: 'ARG SERVICE=session\n', all: true }],
      /Dockerfile: ARG SERVICE has a default \(session\)/,
    );
  });

  it('when a stage of the Dockerfile uses SERVICE without declaring it, then imageBuilds fails', async () => {
    await expectProblem(
      'imageBuilds',
      [{ file: 'Dockerfile', from: FINAL_STAGE, to: 'FROM node:${NODE_VERSION}-slim\n' }],
      /Dockerfile: stage 4 \(FROM node:\$\{NODE_VERSION\}-slim\) uses \$SERVICE without ARG SERVICE in that stage/,
    );
  });

  it('when an image is tagged latest instead of by commit, then cloudBuildDeploys fails', async () => {
    await expectProblem(
      'cloudBuildDeploys',
      [{ file: 'cloudbuild.yaml', from: '/session:$COMMIT_SHA', to: '/session:latest', all: true }],
      /is not tagged by commit/,
    );
  });

  it('when cloudbuild.yaml stops declaring a substitution Terraform passes, then cloudBuildDeploys fails', async () => {
    await expectProblem(
      'cloudBuildDeploys',
      [{ file: 'cloudbuild.yaml', from: "  _SITE_ID: ''\n", to: '' }],
      /passes _SITE_ID, which cloudbuild.yaml does not declare/,
    );
  });

  it('when a deploy step sets environment variables, then cloudBuildDeploys fails', async () => {
    await expectProblem(
      'cloudBuildDeploys',
      [
        {
          file: 'cloudbuild.yaml',
          from: "'--region=${_REGION}', '--quiet']\n    waitFor: ['push-lead']",
          to: "'--region=${_REGION}', '--quiet', '--update-env-vars=LOG_LEVEL=debug']\n    waitFor: ['push-lead']",
        },
      ],
      /sets --update-env-vars; Terraform owns the configuration/,
    );
  });

  it('when the web is built against another ChatKit URL, then cloudBuildSite fails', async () => {
    await expectProblem(
      'cloudBuildSite',
      [{ file: 'cloudbuild.yaml', from: '.run.app/api/chatkit', to: '.run.app/chatkit' }],
      /not the session service's streaming URL/,
    );
  });

  it('when the site origin is not in the services ALLOWED_ORIGINS, then cloudBuildSite fails', async () => {
    await expectProblem(
      'cloudBuildSite',
      [
        {
          file: STACK_TF,
          from: 'allowed_origins = distinct(concat(local.site_origins, var.extra_allowed_origins))',
          to: 'allowed_origins = distinct(concat(["https://example.com"], var.extra_allowed_origins))',
        },
      ],
      /the site origin https:\/\/rosewood-upholstery.web.app is not in chatkit-session's ALLOWED_ORIGINS/,
    );
  });

  it('when the web is built from another shop profile than the services read, then cloudBuildSite fails', async () => {
    await expectProblem(
      'cloudBuildSite',
      [
        {
          file: 'infra/modules/lead-intake/main.tf',
          from: 'shop_profile_path = "/app/packages/shared/shops/${var.shop_profile}"',
          to: 'shop_profile_path = "/app/packages/shared/shops/rosewood.json"',
        },
      ],
      /the web is built from packages\/shared\/shops\/example-shop.json but chatkit-session reads \/app\/packages\/shared\/shops\/rosewood.json/,
    );
  });

  it("when the pages' CSP no longer allows the session service's URL, then cloudBuildSite fails", async () => {
    await expectProblem(
      'cloudBuildSite',
      [{ file: 'firebase.json', from: "connect-src 'self' https://*.run.app", to: "connect-src 'self' https://*.a.run.app" }],
      /connect-src \(firebase.json\) does not allow https:\/\/chatkit-session-123456789012.us-west1.run.app/,
    );
  });

  it('when Hosting is deployed without the site id, then cloudBuildSite fails', async () => {
    await expectProblem(
      'cloudBuildSite',
      [{ file: 'cloudbuild.yaml', from: "'${_SITE_ID}'", to: "'${_SITE_ORIGIN}'" }],
      /Hosting is not deployed to Terraform's site/,
    );
  });

  it('when a build step moves to node:22, then node24 fails', async () => {
    await expectProblem(
      'node24',
      [{ file: 'cloudbuild.yaml', from: '  - id: install\n    name: node:24', to: '  - id: install\n    name: node:22' }],
      /step install runs on node:22, not node:24/,
    );
  });

  it('when the Dockerfile moves to Node 22, then node24 fails', async () => {
    await expectProblem(
      'node24',
      [{ file: 'Dockerfile', from: 'ARG NODE_VERSION=24', to: 'ARG NODE_VERSION=22' }],
      /^Dockerfile: FROM node:22-slim is not Node 24/,
    );
  });

  it('when a stage of the Dockerfile starts from another image, then node24 fails', async () => {
    await expectProblem(
      'node24',
      [{ file: 'Dockerfile', from: FINAL_STAGE, to: 'FROM gcr.io/distroless/nodejs22-debian12\nARG SERVICE\n' }],
      /^Dockerfile: FROM gcr.io\/distroless\/nodejs22-debian12 is not Node 24/,
    );
  });

  it('when one image build overrides NODE_VERSION, then node24 fails', async () => {
    await expectProblem(
      'node24',
      [
        {
          file: 'cloudbuild.yaml',
          from: BUILD_LEAD,
          to: "args: ['build', '--build-arg', 'NODE_VERSION=20', '--build-arg', 'SERVICE=lead',",
        },
      ],
      /^Dockerfile as cloudbuild.yaml step build-lead builds it: FROM node:20-slim is not Node 24/,
    );
    await expectProblem(
      'node24',
      [
        {
          file: 'cloudbuild.yaml',
          from: BUILD_SESSION,
          to: "args: ['build', '--build-arg=NODE_VERSION=22', '--build-arg', 'SERVICE=session',",
        },
      ],
      /^Dockerfile as cloudbuild.yaml step build-session builds it: FROM node:22-slim is not Node 24/,
    );
  });

  it('when an image build overrides NODE_VERSION with another Node 24, then node24 passes', async () => {
    expect(
      await problemsAfter('node24', [
        {
          file: 'cloudbuild.yaml',
          from: BUILD_LEAD,
          to: "args: ['build', '--build-arg', 'NODE_VERSION=24.11', '--build-arg', 'SERVICE=lead',",
        },
      ]),
    ).toEqual([]);
  });

  it('when a step runs npm on another image, then node24 fails', async () => {
    await expectProblem(
      'node24',
      [
        {
          file: 'cloudbuild.yaml',
          from: '  - id: lint\n    name: node:24',
          to: '  - id: lint\n    name: gcr.io/google.com/cloudsdktool/cloud-sdk:slim',
        },
      ],
      /step lint runs Node tools on gcr.io/,
    );
  });
});
