/**
 * One Dockerfile builds every service's image (decision 0018). Each docker build step of
 * cloudbuild.yaml builds the root Dockerfile with `--build-arg SERVICE=<a directory of services/>`,
 * a different one per step, and passes no build argument the Dockerfile does not declare. The
 * Dockerfile takes SERVICE without a default (a build that forgets it fails rather than building
 * some service), and every stage that uses an ARG declares it (an ARG reaches only its own stage).
 * Which image each Cloud Run service runs is cloudBuildDeploys'; which Node, node24's.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { imageBuilds } from './cloudbuild-model.js';
import { ROOT_DOCKERFILE, SERVICE_ARG, type Deployment } from './deployment.js';
import { allArgs, argsDeclared, envSet, PREDEFINED_ARGS, stageLabel, variablesUsed, type Dockerfile } from './dockerfile-model.js';

/** The directories of services/ with a package.json: what SERVICE may name. */
function serviceDirectories(root: string): string[] {
  const dir = join(root, 'services');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'package.json')))
    .sort();
}

export function checkImageBuilds(deployment: Deployment): string[] {
  const problems: string[] = [];
  const services = serviceDirectories(deployment.root);
  const builds = imageBuilds(deployment.cloudbuild);
  if (builds.length === 0) problems.push('cloudbuild.yaml: no docker build step');
  const builtBy = new Map<string, string>();
  for (const build of builds) {
    const where = `cloudbuild.yaml: step ${build.label}`;
    const dockerfile = deployment.dockerfiles[build.dockerfile];
    if (build.dockerfile !== ROOT_DOCKERFILE)
      problems.push(`${where} builds ${build.dockerfile}; every image comes from the root ${ROOT_DOCKERFILE} (decision 0018)`);
    if (!dockerfile) problems.push(`${where} builds ${build.dockerfile}, which does not exist`);
    const service = build.buildArgs[SERVICE_ARG];
    if (service === undefined) problems.push(`${where} passes no --build-arg ${SERVICE_ARG}=<${services.join('|')}>`);
    else if (!services.includes(service))
      problems.push(
        `${where} builds ${SERVICE_ARG}=${service}, which is no directory of services/ with a package.json (${services.join(', ')})`,
      );
    else if (builtBy.has(service))
      problems.push(`cloudbuild.yaml: steps ${String(builtBy.get(service))} and ${build.label} both build ${SERVICE_ARG}=${service}`);
    else builtBy.set(service, build.label);
    if (dockerfile) {
      const declared = allArgs(dockerfile);
      for (const name of Object.keys(build.buildArgs)) {
        if (!declared.has(name) && !PREDEFINED_ARGS.has(name))
          problems.push(`${where} passes --build-arg ${name}, which ${build.dockerfile} does not declare (ARG ${name})`);
      }
    }
  }
  for (const [path, dockerfile] of Object.entries(deployment.dockerfiles)) problems.push(...argProblems(path, dockerfile));
  return problems;
}

function argProblems(path: string, dockerfile: Dockerfile): string[] {
  const problems: string[] = [];
  const declared = allArgs(dockerfile);
  if (path === ROOT_DOCKERFILE && !declared.has(SERVICE_ARG))
    problems.push(`${path} declares no ARG ${SERVICE_ARG}: it builds each service's image by its directory name (decision 0018)`);
  const defaults = [...dockerfile.globalArgs, ...dockerfile.stages.flatMap((stage) => stage.instructions.flatMap(argsDeclared))];
  for (const [name, value] of defaults) {
    if (name === SERVICE_ARG && value !== undefined)
      problems.push(
        `${path}: ARG ${SERVICE_ARG} has a default (${value || '""'}); a build without --build-arg ${SERVICE_ARG} must fail, not build a service`,
      );
  }
  for (const stage of dockerfile.stages) {
    const inStage = new Set<string>();
    const reported = new Set<string>();
    for (const instruction of stage.instructions) {
      for (const name of variablesUsed(instruction.text)) {
        if (declared.has(name) && !inStage.has(name) && !reported.has(name)) {
          reported.add(name);
          problems.push(
            `${path}: ${stageLabel(stage)} uses $${name} without ARG ${name} in that stage (an ARG reaches only the stage that declares it)`,
          );
        }
      }
      for (const [name] of argsDeclared(instruction)) inStage.add(name);
      for (const name of envSet(instruction)) inStage.add(name);
    }
  }
  return problems;
}
