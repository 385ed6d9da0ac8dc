/** Reading cloudbuild.yaml: substitutions as Cloud Build applies them, step order, commands, image builds. */
import { posix } from 'node:path';

export interface CloudBuildStep {
  id?: string;
  name: string;
  entrypoint?: string;
  args?: string[];
  env?: string[];
  waitFor?: string[];
}

export interface CloudBuild {
  substitutions?: Record<string, string>;
  steps: CloudBuildStep[];
  images?: string[];
  options?: Record<string, unknown>;
}

/** Replaces $NAME / ${NAME} like Cloud Build does ($$ is a literal $); unknown names stay as they are. */
export function substitute(text: string, values: Record<string, string>): string {
  return text.replace(
    /\$\$|\$\{([A-Z_][A-Z0-9_]*)\}|\$([A-Z_][A-Z0-9_]*)/g,
    (match, braced: string | undefined, bare: string | undefined) => {
      if (match === '$$') return '$';
      const name = braced ?? bare ?? '';
      return name in values ? (values[name] ?? '') : match;
    },
  );
}

/** The substitutions of one build: the file's defaults, then what the caller passes, then built-ins. */
export function substitutionValues(
  build: CloudBuild,
  passed: Record<string, string>,
  builtIns: Record<string, string>,
): Record<string, string> {
  return { ...(build.substitutions ?? {}), ...passed, ...builtIns };
}

/** "A=1,B=2" (what gcloud builds submit --substitutions takes). */
export function parseSubstitutionList(list: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of list.split(',').filter(Boolean)) {
    const at = pair.indexOf('=');
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

/** Indexes of the steps a step waits for, directly or not (no waitFor = every earlier step). */
export function dependencies(build: CloudBuild, index: number): Set<number> {
  const found = new Set<number>();
  const visit = (i: number): void => {
    const step = build.steps[i];
    if (!step) return;
    const direct =
      step.waitFor === undefined
        ? Array.from({ length: i }, (_, k) => k)
        : step.waitFor.filter((id) => id !== '-').map((id) => build.steps.findIndex((s) => s.id === id));
    for (const d of direct) {
      if (d >= 0 && !found.has(d)) {
        found.add(d);
        visit(d);
      }
    }
  };
  visit(index);
  return found;
}

/** The command lines a step runs: its entrypoint + args, or the script of `bash -c`. */
export function commandsOf(step: CloudBuildStep): string[] {
  const args = step.args ?? [];
  if ((step.entrypoint === 'bash' || step.entrypoint === 'sh') && args[0] === '-c') {
    return (args[1] ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
  }
  return [[step.entrypoint ?? '', ...args].join(' ').trim()];
}

/** Every `gcloud run …` service name a build touches, with the step it is in. */
export function cloudRunServicesNamed(build: CloudBuild): Array<{ step: string; service: string; command: string }> {
  const found: Array<{ step: string; service: string; command: string }> = [];
  build.steps.forEach((step, index) => {
    for (const command of commandsOf(step)) {
      const match =
        /\bgcloud run (?:deploy|services (?:update-traffic|describe|update))\s+([^\s-][^\s]*)/.exec(command) ??
        /^gcloud run (?:deploy|services (?:update-traffic|describe|update))\s+([^\s-][^\s]*)/.exec(command);
      if (match?.[1]) found.push({ step: step.id ?? `#${index}`, service: match[1], command });
    }
  });
  return found;
}

export const stepIndex = (build: CloudBuild, predicate: (step: CloudBuildStep) => boolean): number => build.steps.findIndex(predicate);

/** `--flag=value` or `--flag value` in an argument list. */
export function flag(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
    if (arg === name) return args[i + 1];
  }
  return undefined;
}

export const isDocker = (name: string): boolean => /(^|\/)cloud-builders\/docker(:|$)/.test(name);

/** Every `--build-arg NAME=value` (or `--build-arg=NAME=value`) of a docker build. */
function buildArgs(args: string[]): Record<string, string> {
  const found: Record<string, string> = {};
  args.forEach((arg, i) => {
    const pair = arg === '--build-arg' ? args[i + 1] : arg.startsWith('--build-arg=') ? arg.slice('--build-arg='.length) : undefined;
    const at = pair?.indexOf('=') ?? -1;
    if (pair && at > 0) found[pair.slice(0, at)] = pair.slice(at + 1);
  });
  return found;
}

export interface ImageBuild {
  index: number;
  /** The step's id, or #index. */
  label: string;
  step: CloudBuildStep;
  /** The Dockerfile it builds, from the repository root: -f, or Dockerfile in the build context. */
  dockerfile: string;
  buildArgs: Record<string, string>;
  /** -t */
  tag: string | undefined;
}

/** The `docker build` steps of a build. */
export function imageBuilds(build: CloudBuild): ImageBuild[] {
  const found: ImageBuild[] = [];
  build.steps.forEach((step, index) => {
    const args = step.args ?? [];
    if (!isDocker(step.name) || args[0] !== 'build') return;
    const context = args.length > 1 && !(args.at(-1) ?? '').startsWith('-') ? (args.at(-1) ?? '.') : '.';
    const dockerfile = flag(args, '-f') ?? flag(args, '--file') ?? posix.join(context, 'Dockerfile');
    found.push({
      index,
      label: step.id ?? `#${index}`,
      step,
      dockerfile: posix.normalize(dockerfile),
      buildArgs: buildArgs(args),
      tag: flag(args, '-t') ?? flag(args, '--tag'),
    });
  });
  return found;
}
