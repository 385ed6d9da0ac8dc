/**
 * cloudbuild.yaml deploys the services Terraform defines, each with the image the root Dockerfile
 * builds for it (--build-arg SERVICE=<its directory>) into Terraform's repository, then builds the
 * site against the session service's streaming URL and an allowed origin, and deploys Hosting to
 * Terraform's site.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Unknown, type Value } from '../terraform/values.js';
import {
  commandsOf,
  cloudRunServicesNamed,
  dependencies,
  flag,
  imageBuilds,
  isDocker,
  parseSubstitutionList,
  substitute,
  substitutionValues,
  stepIndex,
  type CloudBuild,
} from './cloudbuild-model.js';
import { SERVICE_ARG, type Deployment, type Environment } from './deployment.js';
import type { Code, ServiceCode } from './services.js';
import { byType, cloudRunService, grants, serviceDefinition } from './terraform-queries.js';

const COMMIT_TAG = /:(\$COMMIT_SHA|\$\{COMMIT_SHA\}|\$SHORT_SHA|\$\{SHORT_SHA\})$/;

async function outputString(environment: Environment, name: string): Promise<string | undefined> {
  try {
    const value: Value = await environment.tf.output(name);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** What Cloud Build would substitute for this environment (as docs/deploy.md runs it). */
async function buildValues(build: CloudBuild, environment: Environment, projectNumber: string): Promise<Record<string, string>> {
  const passed = parseSubstitutionList((await outputString(environment, 'cloud_build_substitutions')) ?? '');
  const project = await environment.tf.evaluate('var.project_id');
  return substitutionValues(
    build,
    { ...passed, _CHATKIT_DOMAIN_KEY: 'domain_pk_sample' },
    {
      PROJECT_ID: String(project),
      PROJECT_NUMBER: projectNumber,
      COMMIT_SHA: '0123456789abcdef0123456789abcdef01234567',
      SHORT_SHA: '0123456',
    },
  );
}

export async function checkCloudBuildDeploys(deployment: Deployment, code: Code): Promise<string[]> {
  const problems: string[] = [];
  const build = deployment.cloudbuild;
  for (const environment of deployment.environments) {
    const where = `${environment.name}: cloudbuild.yaml`;
    const values = await buildValues(build, environment, deployment.samples.projectNumber);
    const passed = parseSubstitutionList((await outputString(environment, 'cloud_build_substitutions')) ?? '');
    for (const key of Object.keys(passed)) {
      if (!(key in (build.substitutions ?? {})))
        problems.push(`${where}: terraform output cloud_build_substitutions passes ${key}, which cloudbuild.yaml does not declare`);
    }
    const names = new Map<string, string>();
    for (const service of [code.session, code.lead] as Array<ServiceCode<unknown>>) {
      const resource = cloudRunService(environment, service.terraformModule);
      if (!resource) continue;
      const definition = await serviceDefinition(resource);
      names.set(definition.name, service.workspace);
      problems.push(...(await checkServiceRelease(build, environment, service, definition.name, definition.region, values, where)));
    }
    for (const { step, service } of cloudRunServicesNamed(build)) {
      if (!names.has(service))
        problems.push(
          `${where}: step ${step} runs gcloud on Cloud Run service "${service}", which Terraform does not define (${[...names.keys()].join(', ')})`,
        );
    }
  }
  return problems;
}

async function checkServiceRelease(
  build: CloudBuild,
  environment: Environment,
  service: ServiceCode<unknown>,
  serviceName: string,
  region: string,
  values: Record<string, string>,
  where: string,
): Promise<string[]> {
  const problems: string[] = [];
  const built = `the ${service.workspace} image (${SERVICE_ARG}=${service.serviceArg})`;
  const imageBuild = imageBuilds(build).find((b) => b.buildArgs[SERVICE_ARG] === service.serviceArg);
  const tag = imageBuild?.tag;
  if (!imageBuild || !tag)
    return [`${where}: no docker build step with --build-arg ${SERVICE_ARG}=${service.serviceArg} (${service.workspace}) and a -t tag`];
  if (!COMMIT_TAG.test(tag)) problems.push(`${where}: ${built} ${tag} is not tagged by commit ($COMMIT_SHA)`);
  const expectedImage = await outputString(environment, service.imageOutput);
  const image = substitute(tag, values);
  if (!expectedImage || image.slice(0, image.lastIndexOf(':')) !== expectedImage) {
    problems.push(`${where}: ${built} is built as ${image}, not into Terraform's ${String(expectedImage)}`);
  }
  const pushIndex = stepIndex(build, (step) => isDocker(step.name) && step.args?.[0] === 'push' && step.args[1] === tag);
  if (pushIndex < 0) problems.push(`${where}: no docker push step for ${tag}`);
  if (!(build.images ?? []).includes(tag)) problems.push(`${where}: images: does not list ${tag}`);

  const deployIndex = stepIndex(build, (step) =>
    commandsOf(step).some((command) => command.startsWith(`gcloud run deploy ${serviceName} `)),
  );
  const deployStep = build.steps[deployIndex];
  if (!deployStep) return [...problems, `${where}: no step deploys the Cloud Run service ${serviceName} (${service.workspace})`];
  const args = deployStep.args ?? [];
  if (flag(args, '--image') !== tag)
    problems.push(`${where}: ${serviceName} is deployed with --image=${String(flag(args, '--image'))}, not ${built} ${tag}`);
  const deployRegion = substitute(flag(args, '--region') ?? '', values);
  if (deployRegion !== region)
    problems.push(`${where}: ${serviceName} is deployed to region ${deployRegion || '(none)'}, Terraform runs it in ${region}`);
  if (pushIndex >= 0 && !dependencies(build, deployIndex).has(pushIndex))
    problems.push(`${where}: ${serviceName} is deployed before its image is pushed`);
  for (const forbidden of [
    '--set-env-vars',
    '--update-env-vars',
    '--set-secrets',
    '--update-secrets',
    '--service-account',
    '--env-vars-file',
  ]) {
    if (args.some((arg) => arg.startsWith(forbidden)))
      problems.push(`${where}: ${serviceName}'s deploy sets ${forbidden}; Terraform owns the configuration (decision 0015)`);
  }
  return problems;
}

/** The web build and the Hosting deploy. */
export async function checkCloudBuildSite(deployment: Deployment, code: Code): Promise<string[]> {
  const problems: string[] = [];
  const build = deployment.cloudbuild;
  for (const environment of deployment.environments) {
    const where = `${environment.name}: cloudbuild.yaml`;
    const values = await buildValues(build, environment, deployment.samples.projectNumber);
    const webIndex = stepIndex(build, (step) => commandsOf(step).some((command) => /\bnpm run build -w web\b/.test(command)));
    const webStep = build.steps[webIndex];
    if (!webStep) {
      problems.push(`${where}: no step runs npm run build -w web`);
      continue;
    }
    const env = Object.fromEntries(
      (webStep.env ?? []).map((pair) => [pair.slice(0, pair.indexOf('=')), substitute(pair.slice(pair.indexOf('=') + 1), values)]),
    );
    const streaming = await outputString(environment, 'session_streaming_url');
    if (env.WEB_CHATKIT_URL !== streaming) {
      problems.push(
        `${where}: the web is built with WEB_CHATKIT_URL=${String(env.WEB_CHATKIT_URL)}, not the session service's streaming URL ${String(streaming)} (decision 0011)`,
      );
    }
    if (streaming && !cspAllows(deployment, streaming))
      problems.push(`${where}: the pages' Content-Security-Policy connect-src (firebase.json) does not allow ${new URL(streaming).origin}`);
    const origin = env.WEB_SITE_ORIGIN;
    if (origin !== (await outputString(environment, 'canonical_origin')))
      problems.push(`${where}: WEB_SITE_ORIGIN=${String(origin)} is not Terraform's canonical_origin`);
    for (const service of [code.session, code.lead] as Array<ServiceCode<unknown>>) {
      const resource = cloudRunService(environment, service.terraformModule);
      if (!resource) continue;
      const definition = await serviceDefinition(resource);
      const allowed = definition.env.ALLOWED_ORIGINS;
      const list = allowed instanceof Unknown || allowed === undefined ? [] : allowed.split(',');
      if (!origin || !list.includes(origin))
        problems.push(`${where}: the site origin ${String(origin)} is not in ${definition.name}'s ALLOWED_ORIGINS (${list.join(', ')})`);
    }
    problems.push(...(await checkShopProfile(deployment, environment, code, env.SHOP_PROFILE_PATH, where)));
    if (!/\$\{?_CHATKIT_DOMAIN_KEY\}?/.test((webStep.env ?? []).find((pair) => pair.startsWith('WEB_CHATKIT_DOMAIN_KEY=')) ?? '')) {
      problems.push(`${where}: the web build does not take WEB_CHATKIT_DOMAIN_KEY from _CHATKIT_DOMAIN_KEY`);
    }
    const deployIndexes = build.steps
      .map((step, i) => (commandsOf(step).some((c) => c.startsWith('gcloud run deploy ')) ? i : -1))
      .filter((i) => i >= 0);
    for (const d of deployIndexes)
      if (!dependencies(build, webIndex).has(d))
        problems.push(`${where}: the web is built before step ${build.steps[d]?.id ?? d} deploys its service`);

    const hostingIndex = stepIndex(build, (step) =>
      commandsOf(step).some((command) => /firebase-tools@\S+ deploy --only hosting\b/.test(command)),
    );
    const hostingStep = build.steps[hostingIndex];
    if (!hostingStep) {
      problems.push(`${where}: no step runs firebase-tools deploy --only hosting`);
      continue;
    }
    const script = substitute(commandsOf(hostingStep).join('\n'), values);
    const siteId = await outputString(environment, 'hosting_site_id');
    if (!siteId || !script.includes(`'${siteId}'`))
      problems.push(`${where}: Hosting is not deployed to Terraform's site ${String(siteId)}`);
    if (!script.includes(`--project ${values.PROJECT_ID ?? '?'}`)) problems.push(`${where}: the Hosting deploy does not name the project`);
    if (!dependencies(build, hostingIndex).has(webIndex)) problems.push(`${where}: Hosting is deployed before the web is built`);
  }
  return problems;
}

/** Whether every CSP in firebase.json lets the pages fetch from the given URL (connect-src). */
function cspAllows(deployment: Deployment, url: string): boolean {
  const target = new URL(url);
  const policies = (deployment.firebase.hosting.headers ?? [])
    .flatMap((rule) => rule.headers)
    .filter((h) => h.key.toLowerCase() === 'content-security-policy');
  return policies.every((policy) => {
    const directive = policy.value
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .find(([name]) => name === 'connect-src');
    const sources = directive?.slice(1) ?? [];
    return sources.some((source) => {
      const match = /^(https?:)\/\/(\*\.)?([^/:]+)$/.exec(source);
      if (!match || match[1] !== target.protocol) return false;
      return match[2] ? target.hostname.endsWith(`.${match[3] ?? ''}`) : target.hostname === match[3];
    });
  });
}

/** The pages and both services are built from the same shop profile, which the images ship. */
async function checkShopProfile(
  deployment: Deployment,
  environment: Environment,
  code: Code,
  webPath: string | undefined,
  where: string,
): Promise<string[]> {
  const problems: string[] = [];
  const shops = 'packages/shared/shops/';
  if (!webPath?.startsWith(`/workspace/${shops}`))
    return [`${where}: the web build's SHOP_PROFILE_PATH (${String(webPath)}) is not a file of ${shops}`];
  const file = webPath.slice(`/workspace/${shops}`.length);
  if (!existsSync(join(deployment.root, shops, file))) problems.push(`${where}: the shop profile ${shops}${file} does not exist`);
  for (const service of [code.session, code.lead] as Array<ServiceCode<unknown>>) {
    const resource = cloudRunService(environment, service.terraformModule);
    if (!resource) continue;
    const definition = await serviceDefinition(resource);
    const path = definition.env.SHOP_PROFILE_PATH;
    if (path !== `/app/${shops}${file}`)
      problems.push(
        `${where}: the web is built from ${shops}${file} but ${definition.name} reads ${String(path ?? 'the default profile')}`,
      );
  }
  return problems;
}

/** The build service account can do what the steps do. */
export async function checkBuildPermissions(deployment: Deployment): Promise<string[]> {
  const problems: string[] = [];
  for (const environment of deployment.environments) {
    const where = `${environment.name}: build service account`;
    const values = await buildValues(deployment.cloudbuild, environment, deployment.samples.projectNumber);
    const accountName = await outputString(environment, 'build_service_account');
    const email = accountName?.split('/').pop();
    if (!email) {
      problems.push(`${where}: terraform output build_service_account is missing`);
      continue;
    }
    const member = `serviceAccount:${email}`;
    for (const role of ['roles/run.developer', 'roles/firebasehosting.admin', 'roles/logging.logWriter']) {
      if ((await grants(environment, 'google_project_iam_member', role, member)).length === 0)
        problems.push(`${where}: ${email} lacks ${role}`);
    }
    let writer = false;
    for (const grant of await grants(
      environment,
      'google_artifact_registry_repository_iam_member',
      'roles/artifactregistry.writer',
      member,
    )) {
      const body = await grant.body();
      if (body.repository === values._REPO && body.location === values._REGION) writer = true;
    }
    if (!writer)
      problems.push(
        `${where}: ${email} may not push to ${values._REGION ?? '?'}/${values._REPO ?? '?'} (roles/artifactregistry.writer on the repository)`,
      );
    for (const service of byType(environment, 'google_cloud_run_v2_service')) {
      const account = (await serviceDefinition(service)).serviceAccount;
      let actsAs = false;
      for (const grant of await grants(environment, 'google_service_account_iam_member', 'roles/iam.serviceAccountUser', member)) {
        if (String((await grant.body()).service_account_id).endsWith(`/serviceAccounts/${String(account)}`)) actsAs = true;
      }
      if (!actsAs)
        problems.push(`${where}: ${email} may not deploy revisions running as ${String(account)} (roles/iam.serviceAccountUser)`);
    }
  }
  return problems;
}
